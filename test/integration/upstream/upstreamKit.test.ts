import { createUpstream, type UpstreamDeps } from '../../../upstream/createUpstream';
import type { Upstream } from '../../../upstream/Upstream';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { createFaultProxy, type FaultProxy } from '../../../simulators/faultProxy/createFaultProxy';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';

let upstream: FakeUpstream;
const opened: Upstream[] = [];
const sleeps: number[] = [];
let fakeNow = 0;
const deps: UpstreamDeps = {
  random: () => 0.5,
  // Backoff is recorded and advances a fake clock instead of waiting: no sleeps in tests.
  sleep: async (ms) => {
    sleeps.push(ms);
    fakeNow += ms;
  },
  now: () => fakeNow,
};

function kit(env: Record<string, string> = {}, url = upstream.url, extra: UpstreamDeps = {}) {
  const u = createUpstream(parseUpstreamEnv('TEST', 'test-upstream', url, env), { ...deps, ...extra });
  opened.push(u);
  return u;
}

beforeEach(async () => {
  upstream = await startFakeUpstream();
  sleeps.length = 0;
  fakeNow = 1_000_000;
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.close()));
  await upstream.close();
});

describe('retries', () => {
  it('retries an idempotent read on 503 at most twice, with backoff', async () => {
    upstream.handle((_req, res) => json(res, 503, { detail: 'busy' }));
    await expect(kit().request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    });
    expect(upstream.requests).toHaveLength(3);
    expect(sleeps).toEqual([25, 50]);
  });

  it('succeeds when a retry does', async () => {
    let n = 0;
    upstream.handle((_req, res) => (n++ === 0 ? json(res, 503, {}) : json(res, 200, { ok: n })));
    await expect(kit().request({ method: 'GET', path: '/x' })).resolves.toMatchObject({
      status: 200,
      body: { ok: 2 },
    });
  });

  it('honours Retry-After, and gives up when it would pass the request deadline', async () => {
    upstream.handle((_req, res) => json(res, 503, {}, { 'retry-after': '1' }));
    await expect(
      kit({ TEST_REQUEST_TIMEOUT_MS: '10000' }).request({ method: 'GET', path: '/x' }),
    ).rejects.toThrow();
    expect(sleeps).toEqual([1000, 1000]);
    sleeps.length = 0;
    upstream.requests.length = 0;
    await expect(
      kit({ TEST_REQUEST_TIMEOUT_MS: '1500', TEST_TIMEOUT_MS: '1000' }).request({
        method: 'GET',
        path: '/x',
      }),
    ).rejects.toThrow();
    // A second 1 s backoff would end past the 1.5 s deadline: one retry, then give up.
    expect(upstream.requests).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('does not retry a 500 (it may have been acted on)', async () => {
    upstream.handle((_req, res) => json(res, 500, {}));
    await expect(kit().request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    });
    expect(upstream.requests).toHaveLength(1);
  });

  it('never retries a mutation once bytes were sent (reset mid-request)', async () => {
    upstream.handle((req) => req.socket.resetAndDestroy());
    await expect(kit().request({ method: 'POST', path: '/refund', body: { a: 1 } })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
    expect(upstream.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  // Only GET (and HEAD) are safe to repeat by method: PUT …/fulfill/, PATCH and DELETE change state
  // too, and one that fails after bytes left may have been applied (docs/reference/resilience.md T8).
  it.each(['PUT', 'PATCH', 'DELETE'] as const)(
    'never retries a %s once bytes were sent (reset mid-request)',
    async (method) => {
      upstream.handle((req) => req.socket.resetAndDestroy());
      await expect(kit().request({ method, path: '/orders/1/fulfill/' })).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
      });
      expect(upstream.requests.map((r) => r.method)).toEqual([method]);
      expect(sleeps).toEqual([]);
    },
  );

  it('does retry a GET reset mid-request (the control for the methods above)', async () => {
    upstream.handle((req) => req.socket.resetAndDestroy());
    await expect(kit().request({ method: 'GET', path: '/orders/1/' })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
    expect(upstream.requests.length).toBeGreaterThan(1);
  });

  it('retries a mutation whose connection was refused (provably never sent)', async () => {
    const closed = await startFakeUpstream();
    const url = closed.url;
    await closed.close();
    await expect(kit({}, url).request({ method: 'POST', path: '/refund', body: {} })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry a 4xx answer: it is returned to the caller', async () => {
    upstream.handle((_req, res) => json(res, 404, { detail: 'Not found.' }));
    await expect(kit().request({ method: 'GET', path: '/x' })).resolves.toMatchObject({ status: 404 });
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('deadlines', () => {
  let proxy: FaultProxy;
  afterEach(() => proxy?.close());

  it('ends a hung attempt at its deadline and closes the socket the upstream holds', async () => {
    proxy = await createFaultProxy({
      target: { host: '127.0.0.1', port: Number(new URL(upstream.url).port) },
    });
    proxy.setFaults({ hang: true });
    const started = Date.now();
    await expect(
      kit({ TEST_TIMEOUT_MS: '300' }, proxy.url).request({ method: 'GET', path: '/x' }),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(proxy.stats().closedByClient).toBeGreaterThanOrEqual(1);
  });

  it('treats a body that stalls after the headers as a timeout', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    await expect(
      kit({ TEST_TIMEOUT_MS: '200' }).request({ method: 'GET', path: '/x' }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  });
});

describe('breaker and bulkhead', () => {
  it('opens after failures past the volume threshold; then answers UPSTREAM_UNAVAILABLE without calling', async () => {
    upstream.handle((_req, res) => json(res, 500, {}));
    const u = kit({ TEST_BREAKER_VOLUME_THRESHOLD: '5' });
    for (let i = 0; i < 5; i++)
      await expect(u.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
        code: 'UPSTREAM_ERROR',
      });
    expect(u.status().breaker).toBe('open');
    const calls = upstream.requests.length;
    // Fast-failed, not merely failed: the upstream is not reached (no wall clock: the box is shared).
    for (let i = 0; i < 20; i++) {
      await expect(u.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        detail: { breakerOpen: true },
      });
    }
    expect(upstream.requests.length).toBe(calls);
    // What opened it, not the fast-fail rejections since.
    expect(u.status().lastError).toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('does not open on 4xx answers', async () => {
    upstream.handle((_req, res) => json(res, 404, {}));
    const u = kit({ TEST_BREAKER_VOLUME_THRESHOLD: '2' });
    for (let i = 0; i < 10; i++) await u.request({ method: 'GET', path: '/x' });
    expect(u.status().breaker).toBe('closed');
  });

  it('rejects overflow at once with a healthy upstream, and the breaker stays closed', async () => {
    upstream.handle((_req, res) => setTimeout(() => json(res, 200, { ok: true }), 150));
    const u = kit({
      TEST_BULKHEAD_MAX_CONCURRENT: '4',
      TEST_BULKHEAD_MAX_QUEUE: '0',
      TEST_BREAKER_VOLUME_THRESHOLD: '2',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, async () => {
        const started = Date.now();
        try {
          return await u.request({ method: 'GET', path: '/x' });
        } catch (error) {
          throw Object.assign(error as Error, { elapsed: Date.now() - started });
        }
      }),
    );
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(rejected).toHaveLength(16);
    for (const r of rejected) {
      expect(r.reason).toMatchObject({ code: 'UPSTREAM_OVERLOADED' });
      expect(r.reason.elapsed).toBeLessThan(50);
    }
    expect(u.status()).toMatchObject({ breaker: 'closed', rejectedOverload: 16, inFlight: 0 });
    expect(upstream.requests).toHaveLength(4);
  });
});

describe('stale-if-error', () => {
  it('serves the last good read, marked stale, only to the same user', async () => {
    let fail = false;
    upstream.handle((_req, res) => (fail ? json(res, 500, {}) : json(res, 200, { orders: [1, 2] })));
    const u = kit({ TEST_STALE_IF_ERROR_MS: '60000' });
    const read = (scope: string, authorization = `JWT ${scope}`) =>
      u.request({
        method: 'GET',
        path: '/orders',
        query: { page: 1 },
        headers: { authorization },
        staleScope: scope,
      });
    await expect(read('learner1')).resolves.toMatchObject({ body: { orders: [1, 2] } });
    fail = true;
    const stale = await read('learner1');
    expect(stale.body).toEqual({ orders: [1, 2] });
    expect(stale.stale?.ageMs).toBeGreaterThanOrEqual(0);
    await expect(read('learner2')).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    // The same user with a refreshed token reads the same data: the scope decides, not the credential.
    await expect(read('learner1', 'JWT refreshed-token')).resolves.toMatchObject({
      body: { orders: [1, 2] },
    });
    // Another path is another answer.
    await expect(
      u.request({ method: 'GET', path: '/orders', query: { page: 2 }, staleScope: 'learner1' }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('is off by default', async () => {
    let fail = false;
    upstream.handle((_req, res) => (fail ? json(res, 500, {}) : json(res, 200, { ok: true })));
    const u = kit();
    await u.request({ method: 'GET', path: '/x', staleScope: 'a' });
    fail = true;
    await expect(u.request({ method: 'GET', path: '/x', staleScope: 'a' })).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    });
  });
});
