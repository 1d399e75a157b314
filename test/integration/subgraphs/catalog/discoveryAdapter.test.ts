import { signToken } from '../../../../platform/auth/signToken';
import { verifyAuthorization } from '../../../../platform/auth/verifyAuthorization';
import { parseJwtEnv } from '../../../../platform/config/jwtEnv';
import { createDiscoverySimulator } from '../../../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../../../simulators/kit/createSimulator';
import {
  createLmsOAuthSimulator,
  LMS_DEV_SERVICE_CLIENT,
  type LmsOAuthSimulator,
} from '../../../../simulators/lms/createLmsOAuthSimulator';
import { createSeed } from '../../../../simulators/seed/createSeed';
import type { SeedCourseRun } from '../../../../simulators/seed/seedCourseRuns';
import { DiscoveryCatalogBackend } from '../../../../subgraphs/catalog/backends/discovery/DiscoveryCatalogBackend';
import type { CallContext } from '../../../../subgraphs/catalog/CatalogBackend';
import { createServiceTokens } from '../../../../subgraphs/serviceIdentity/createServiceTokens';
import { parseServiceIdentityConfig } from '../../../../subgraphs/serviceIdentity/serviceIdentityConfig';
import { createUpstream } from '../../../../upstream/createUpstream';
import type { Upstream } from '../../../../upstream/Upstream';
import { isUpstreamError, type UpstreamError } from '../../../../upstream/UpstreamError';
import { parseUpstreamEnv } from '../../../../upstream/upstreamEnv';
import { startRecordingProxy, type RecordingProxy } from '../../../helpers/startRecordingProxy';

// The catalog's discovery adapter over real HTTP: LMS token endpoint and discovery simulators, with a
// recording proxy in front of discovery to see what actually went over the wire.
const jwt = parseJwtEnv({});
const seed = createSeed();
const boughtBy = (username: string) =>
  new Set(seed.orders.filter((o) => o.username === username).flatMap((o) => o.lines.map((l) => l.courseKey)));
const learner1Runs = seed.courseRuns.filter((run) => boughtBy('learner1').has(run.key));
const restricted = learner1Runs.filter((run) => run.restrictionType !== null);
const retired = learner1Runs.filter((run) => run.runType === 'paid-bootcamp');
const openRuns = learner1Runs.filter(
  (run) => run.restrictionType === null && run.runType !== 'paid-bootcamp',
);

const learner1: CallContext = {
  identity: { username: 'learner1', isStaff: false, token: signToken('learner1', jwt) },
  requestId: 'req-discovery-adapter',
};

let lmsClock: number | undefined;
let lms: LmsOAuthSimulator;
let discovery: Simulator;
let proxy: RecordingProxy;
const upstreams: Upstream[] = [];

async function start(options: { serviceIsStaff?: boolean; throttleRate?: string } = {}) {
  lmsClock = undefined;
  lms = await createLmsOAuthSimulator({
    jwt,
    clients: [{ ...LMS_DEV_SERVICE_CLIENT, isStaff: options.serviceIsStaff ?? true }],
    now: () => lmsClock ?? Date.now(),
  });
  discovery = await createDiscoverySimulator({ seed, jwt, throttleRate: options.throttleRate });
  proxy = await startRecordingProxy(discovery.url);
  const upstream = createUpstream(parseUpstreamEnv('DISCOVERY', 'discovery', proxy.url, {}));
  const service = createServiceTokens(parseServiceIdentityConfig({ LMS_OAUTH2_URL: `${lms.url}/oauth2` }));
  upstreams.push(upstream, ...service.upstreams);
  return { backend: new DiscoveryCatalogBackend(upstream, service), upstream };
}
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
  await proxy.close();
  await Promise.all([discovery.close(), lms.close()]);
});

const keysOf = (runs: SeedCourseRun[]) => runs.map((run) => run.key);

describe('DiscoveryCatalogBackend', () => {
  it('asks as the service user, with exclude_utm, include_restricted and include_retired_run_types', async () => {
    const { backend } = await start();
    await backend.getCourseRuns(keysOf(openRuns.slice(0, 3)), learner1);

    expect(proxy.requests).toHaveLength(1);
    const sent = proxy.requests[0]!;
    const url = new URL(sent.url, 'http://discovery');
    expect(url.pathname).toBe('/api/v1/course_runs/');
    expect(url.searchParams.get('exclude_utm')).toBe('1');
    expect(url.searchParams.get('include_restricted')).toBe('custom-b2b-enterprise,custom-b2c');
    expect(url.searchParams.get('include_retired_run_types')).toBe('1');
    // The LMS's token for switchyard_worker, not the learner's own.
    expect(sent.headers.authorization).not.toContain(learner1.identity.token);
    expect(await verifyAuthorization(sent.headers.authorization, jwt)).toMatchObject({
      username: 'switchyard_worker',
      isStaff: true,
    });
    expect(lms.tokensIssued()).toBe(1);
  });

  it('gets marketing URLs without anyone’s username in them', async () => {
    const { backend } = await start();
    const found = await backend.getCourseRuns(keysOf(openRuns.slice(0, 5)), learner1);
    expect(
      found.every((run) => run !== null && run.marketingUrl?.startsWith('https://www.example.org/')),
    ).toBe(true);
    for (const run of found) {
      expect(run!.marketingUrl).not.toMatch(/utm_|learner1|switchyard_worker/);
    }
  });

  it('resolves restricted runs and retired run types a learner bought, not null', async () => {
    expect(restricted.map((run) => run.restrictionType).sort()).toEqual(
      expect.arrayContaining(['custom-b2b-enterprise', 'custom-b2c']),
    );
    expect(retired.length).toBeGreaterThan(0);
    const { backend } = await start();
    const keys = keysOf([...restricted, ...retired, openRuns[0]!]);
    const found = await backend.getCourseRuns(keys, learner1);
    expect(found.map((run) => run?.key ?? null)).toEqual(keys);
  });

  it('is not throttled at 200 an hour: the service user is staff, every learner’s batches alike', async () => {
    const { backend } = await start();
    for (let i = 0; i < 210; i++) {
      const run = seed.courseRuns[i]!;
      const found = await backend.getCourseRuns([run.key], learner1);
      expect(found[0]?.key).toBe(run.key);
    }
    expect(lms.tokensIssued()).toBe(1);
  });

  it('fetches a fresh token once when discovery refuses the cached one (401), never in a loop', async () => {
    const { backend } = await start();
    // Tokens issued "two hours ago": expired for discovery, still fresh for the provider's cache.
    lmsClock = Date.now() - 2 * 3600_000;
    await expect(backend.getCourseRuns(keysOf(openRuns.slice(0, 1)), learner1)).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'discovery',
      detail: { status: 401 },
    });
    expect(lms.tokensIssued()).toBe(2);
    expect(proxy.requests).toHaveLength(2);

    lmsClock = undefined;
    const found = await backend.getCourseRuns(keysOf(openRuns.slice(0, 1)), learner1);
    expect(found[0]?.key).toBe(openRuns[0]!.key);
    expect(lms.tokensIssued()).toBe(3);
  });

  it('leaves a 429 to the kit: the same coded error as the kit raises, not UPSTREAM_ERROR', async () => {
    // A service user provisioned without staff is throttled like a learner.
    const { backend, upstream } = await start({ serviceIsStaff: false, throttleRate: '1/hour' });
    await backend.getCourseRuns(keysOf(openRuns.slice(0, 1)), learner1);
    const failure = await backend.getCourseRuns(keysOf(openRuns.slice(1, 2)), learner1).then(
      () => undefined,
      (error: unknown) => error,
    );
    const kit = await upstream
      .request({ method: 'GET', path: '/api/v1/course_runs/', headers: proxy.requests[0]!.headers as never })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(isUpstreamError(failure) && isUpstreamError(kit)).toBe(true);
    expect((failure as UpstreamError).code).toBe((kit as UpstreamError).code);
    expect((failure as UpstreamError).code).not.toBe('UPSTREAM_ERROR');
    expect((failure as UpstreamError).detail.status).toBe(429);
  });
});
