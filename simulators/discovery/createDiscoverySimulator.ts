import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { authenticate, isResponse } from '../kit/authenticate';
import { createSimulator, type SimRequest, type SimResponse, type Simulator } from '../kit/createSimulator';
import type { Seed } from '../seed/createSeed';
import { toDiscoveryCourseRun } from './toDiscoveryCourseRun';

export interface DiscoverySimulatorOptions {
  seed: Seed;
  jwt: JwtOptions;
  port?: number;
}

/**
 * Course discovery's course runs (upstream-apis.md §6): `?keys=` batches with limit/offset pagination
 * (default limit 20, results ordered by lower-cased key, unknown keys absent) and lookup by key.
 */
export async function createDiscoverySimulator(options: DiscoverySimulatorOptions): Promise<Simulator> {
  const runs = options.seed.courseRuns.map((run, i) => toDiscoveryCourseRun(run, i));
  const byKey = new Map(runs.map((run) => [run.key as string, run]));
  let baseUrl = '';

  function list(request: SimRequest): SimResponse {
    const who = authenticate(request.headers, options.jwt);
    if (isResponse(who)) return who;
    const params = request.url.searchParams;
    // URLSearchParams turns a bare "+" into a space, exactly as Django does: callers must encode keys.
    const keys = params.get('keys');
    const matched: Record<string, unknown>[] =
      keys === null
        ? runs
        : keys.split(',').flatMap((k) => {
            const run = byKey.get(k);
            return run ? [run] : [];
          });
    const sorted = [...new Set(matched)].sort((a, b) =>
      String(a.key).toLowerCase().localeCompare(String(b.key).toLowerCase()),
    );
    const limit = clamp(Number(params.get('limit') ?? 20), 1, 500, 20);
    const offset = clamp(Number(params.get('offset') ?? 0), 0, Number.MAX_SAFE_INTEGER, 0);
    const link = (o: number) => {
      const url = new URL(`${baseUrl}/api/v1/course_runs/`);
      if (keys !== null) url.searchParams.set('keys', keys);
      url.searchParams.set('limit', String(limit));
      url.searchParams.set('offset', String(o));
      return url.toString();
    };
    return {
      status: 200,
      body: {
        count: sorted.length,
        next: offset + limit < sorted.length ? link(offset + limit) : null,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
        results: sorted.slice(offset, offset + limit),
      },
    };
  }

  function detail(request: SimRequest): SimResponse {
    const who = authenticate(request.headers, options.jwt);
    if (isResponse(who)) return who;
    const run = byKey.get(request.params[0] ?? '');
    return run
      ? { status: 200, body: run }
      : { status: 404, body: { detail: 'No CourseRun matches the given query.' } };
  }

  const simulator = await createSimulator(
    'discovery',
    [
      { method: 'GET', pattern: /^\/api\/v1\/course_runs\/?$/, name: 'course_runs.list', handle: list },
      {
        method: 'GET',
        pattern: /^\/api\/v1\/course_runs\/([^/]+)\/?$/,
        name: 'course_runs.detail',
        handle: detail,
      },
    ],
    options.port,
  );
  baseUrl = simulator.url;
  return simulator;
}

function clamp(value: number, min: number, max: number, fallback: number): number {
  return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
}
