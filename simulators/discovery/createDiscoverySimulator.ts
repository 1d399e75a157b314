import type { Identity } from '../../platform/auth/Identity';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { authenticate, isResponse } from '../kit/authenticate';
import { createSimulator, type SimRequest, type SimResponse, type Simulator } from '../kit/createSimulator';
import { parseThrottleRate, throttledResponse, UserRateThrottle } from '../kit/UserRateThrottle';
import type { Seed } from '../seed/createSeed';
import { COURSE_RUN_RESTRICTION_TYPES, RETIRED_RUN_TYPE, type SeedCourseRun } from '../seed/seedCourseRuns';
import { marketingUrlFor } from './marketingUrlFor';
import { toDiscoveryCourseRun } from './toDiscoveryCourseRun';

/** course-discovery settings/base.py DEFAULT_THROTTLE_RATES `user` (docs/reference/discovery.md "Throttling"). */
export const DISCOVERY_THROTTLE_RATE = '200/hour';

export interface DiscoverySimulatorOptions {
  seed: Seed;
  jwt: JwtOptions;
  port?: number;
  /**
   * The per-user rate for users who are not staff (OverridableUserRateThrottle). Load tests whose
   * learners call discovery themselves raise it. @default DISCOVERY_THROTTLE_RATE
   */
  throttleRate?: string;
  /** settings.RETIRED_RUN_TYPES: run type slugs hidden unless asked for. @default [RETIRED_RUN_TYPE] */
  retiredRunTypes?: readonly string[];
  /** USE_API_CACHING (on in settings/base.py): answers are cached by path and query string. @default true */
  apiCaching?: boolean;
  /** Clock of the throttle, injectable so tests move time instead of waiting. @default Date.now */
  now?: () => number;
}

interface Entry {
  run: SeedCourseRun;
  record: Record<string, unknown>;
}

// Enough for every distinct batch the benchmark asks; beyond it the oldest answer is forgotten.
const CACHE_ENTRIES = 5000;

/**
 * Course discovery's course runs (docs/reference/discovery.md): `?keys=` batches with limit/offset
 * pagination (default limit 20, ordered by lower-cased key, unknown keys absent) and lookup by key —
 * with the rules a caller meets in production: trailing-slash redirects, UTM parameters carrying the
 * caller's username in `marketing_url`, restricted runs and retired run types hidden unless asked
 * for, a per-user throttle for non-staff users, and answers cached by query string.
 */
export async function createDiscoverySimulator(options: DiscoverySimulatorOptions): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const throttle = new UserRateThrottle(
    parseThrottleRate(options.throttleRate ?? DISCOVERY_THROTTLE_RATE),
    now,
  );
  const retired = new Set(options.retiredRunTypes ?? [RETIRED_RUN_TYPE]);
  const caching = options.apiCaching ?? true;
  const cache = new Map<string, SimResponse>();
  const entries: Entry[] = options.seed.courseRuns.map((run, i) => ({
    run,
    record: toDiscoveryCourseRun(run, i),
  }));
  const byKey = new Map(entries.map((entry) => [entry.run.key, entry]));
  let baseUrl = '';

  /** DRF's APIView.initial: authentication, then throttling; then the (cached) answer. */
  const serve =
    (answer: (request: SimRequest, who: Identity) => SimResponse) =>
    async (request: SimRequest): Promise<SimResponse> => {
      const who = await authenticate(request.headers, options.jwt);
      if (isResponse(who)) return who;
      // course-discovery core/throttles.py: staff and superusers are never throttled ("Throttling").
      if (!who.isStaff) {
        const decision = throttle.check(who.username);
        if (!decision.allowed) return throttledResponse(decision.waitSeconds);
      }
      // course-discovery api/cache.py: keyed by path and query string, never the user ("Marketing URLs").
      const key = `${request.url.pathname}?${[...request.url.searchParams].sort().join('&')}`;
      const cached = caching ? cache.get(key) : undefined;
      if (cached) return structuredClone(cached);
      const response = answer(request, who);
      if (caching && response.status === 200) {
        if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
        cache.set(key, structuredClone(response));
      }
      return response;
    };

  function list(request: SimRequest, who: Identity): SimResponse {
    const params = request.url.searchParams;
    const visibility = visibleFor(params);
    if (!visibility) return serverError();
    // URLSearchParams turns a bare "+" into a space, exactly as Django does: callers must encode keys.
    const keys = params.get('keys');
    const matched =
      keys === null
        ? entries
        : keys.split(',').flatMap((k) => {
            const entry = byKey.get(k);
            return entry ? [entry] : [];
          });
    const sorted = [...new Set(matched)]
      .filter(visibility.visible)
      .sort((a, b) => a.run.key.toLowerCase().localeCompare(b.run.key.toLowerCase()));
    const limit = clamp(Number(params.get('limit') ?? 20), 1, 500, 20);
    const offset = clamp(Number(params.get('offset') ?? 0), 0, Number.MAX_SAFE_INTEGER, 0);
    // DRF LimitOffsetPagination: the request's own URL with limit and offset replaced.
    const link = (o: number | null) => {
      const url = new URL(`${baseUrl}${request.url.pathname}${request.url.search}`);
      url.searchParams.set('limit', String(limit));
      if (o === null) url.searchParams.delete('offset');
      else url.searchParams.set('offset', String(o));
      return url.toString();
    };
    return {
      status: 200,
      body: {
        count: sorted.length,
        next: offset + limit < sorted.length ? link(offset + limit) : null,
        previous: offset <= 0 ? null : link(offset - limit > 0 ? offset - limit : null),
        results: sorted
          .slice(offset, offset + limit)
          .map((entry) => render(entry, who, visibility.excludeUtm)),
      },
    };
  }

  function detail(request: SimRequest, who: Identity): SimResponse {
    const visibility = visibleFor(request.url.searchParams);
    if (!visibility) return serverError();
    // course_runs.py get_queryset applies to a lookup too: a hidden run is as absent as an unknown key.
    const entry = byKey.get(request.params[0] ?? '');
    return entry && visibility.visible(entry)
      ? { status: 200, body: render(entry, who, visibility.excludeUtm) }
      : { status: 404, body: { detail: 'No CourseRun matches the given query.' } };
  }

  /** What `get_queryset` lets through for these query parameters; null where discovery raises (500). */
  function visibleFor(params: URLSearchParams) {
    const excludeUtm = intParam(params, 'exclude_utm');
    const includeRetired = intParam(params, 'include_retired_run_types');
    if (excludeUtm === 'invalid' || includeRetired === 'invalid') return null;
    // course-discovery api/utils.py get_excluded_restriction_types: every type not named in
    // include_restricted ("Restricted runs"); settings.RETIRED_RUN_TYPES ("Retired run types").
    const included = new Set((params.get('include_restricted') ?? '').split(','));
    const excluded = new Set(COURSE_RUN_RESTRICTION_TYPES.filter((type) => !included.has(type)));
    return {
      excludeUtm: Boolean(excludeUtm),
      visible: ({ run }: Entry) =>
        (run.restrictionType === null || !excluded.has(run.restrictionType)) &&
        (Boolean(includeRetired) || !retired.has(run.runType)),
    };
  }

  function render(entry: Entry, who: Identity, excludeUtm: boolean): Record<string, unknown> {
    return {
      ...entry.record,
      marketing_url: marketingUrlFor(entry.record.marketing_url, who.username, excludeUtm),
    };
  }

  const simulator = await createSimulator(
    'discovery',
    [
      // course-discovery api/v1/urls.py: SimpleRouter (trailing_slash='/') knows only slashed paths.
      { method: 'GET', pattern: /^\/api\/v1\/course_runs\/$/, name: 'course_runs.list', handle: serve(list) },
      {
        method: 'GET',
        pattern: /^\/api\/v1\/course_runs\/([^/]+)\/$/,
        name: 'course_runs.detail',
        handle: serve(detail),
      },
      // Django's CommonMiddleware with APPEND_SLASH (course-discovery settings/base.py MIDDLEWARE):
      // before authentication, a permanent redirect (docs/reference/discovery.md "Trailing slash").
      {
        method: 'GET',
        pattern: /^\/api\/v1\/course_runs(?:\/[^/]+)?$/,
        name: 'append_slash',
        handle: (request) => ({
          status: 301,
          headers: { location: `${request.url.pathname}/${request.url.search}` },
        }),
      },
    ],
    options.port,
  );
  baseUrl = simulator.url;
  return simulator;
}

/** An uncaught ValueError in a Django view: a bare 500 page, no JSON ("Integer flags"). */
function serverError(): SimResponse {
  return { status: 500, headers: { 'content-type': 'text/html' } };
}

/** course-discovery api/utils.py get_query_param: absent → null, an integer → its value, else raises. */
function intParam(params: URLSearchParams, name: string): number | null | 'invalid' {
  const raw = params.get(name);
  if (raw === null) return null;
  // Python's int() accepts surrounding whitespace and a sign, nothing else.
  return /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : 'invalid';
}

function clamp(value: number, min: number, max: number, fallback: number): number {
  return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
}
