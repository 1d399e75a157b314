import { Registry } from 'prom-client';
import { createUpstream, type UpstreamDeps } from '../../../upstream/createUpstream';
import type { Upstream } from '../../../upstream/Upstream';
import type { UpstreamError } from '../../../upstream/UpstreamError';
import { createUpstreamMetrics } from '../../../upstream/UpstreamMetrics';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';

// A 429 through the kit, against a real HTTP server: UPSTREAM_RATE_LIMITED with the wait the upstream
// named, never retried within the request, never counted against the breaker every user shares, never
// answered from the stale store. The legacy API throttles per user token (75 requests a minute,
// docs/reference/legacy-ecommerce.md), so one learner's 429 says nothing about the upstream's health.

const THROTTLED = { detail: 'Request was throttled. Expected available in 42 seconds.' };
let upstream: FakeUpstream;
const opened: Upstream[] = [];
const sleeps: number[] = [];
const deps: UpstreamDeps = {
  random: () => 0.5,
  // A retry would show here and in the request count; nothing waits for real.
  sleep: async (ms) => void sleeps.push(ms),
};

function kit(env: Record<string, string> = {}, extra: UpstreamDeps = {}) {
  const u = createUpstream(parseUpstreamEnv('TEST', 'legacy-ecommerce', upstream.url, env), {
    ...deps,
    ...extra,
  });
  opened.push(u);
  return u;
}

const read = (u: Upstream) => u.request({ method: 'GET', path: '/api/v2/orders/' });

beforeEach(async () => {
  upstream = await startFakeUpstream();
  sleeps.length = 0;
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.close()));
  await upstream.close();
});

it('turns a 429 into UPSTREAM_RATE_LIMITED carrying Retry-After, after one attempt of an idempotent read', async () => {
  upstream.handle((_req, res) => json(res, 429, THROTTLED, { 'retry-after': '42' }));
  const failure = (await read(kit({ TEST_RETRIES: '2' })).catch((e: unknown) => e)) as UpstreamError;
  expect(failure).toMatchObject({
    code: 'UPSTREAM_RATE_LIMITED',
    upstream: 'legacy-ecommerce',
    retryAfterSeconds: 42,
    detail: { status: 429, retryAfterMs: 42_000 },
  });
  // What a client sees: the wait in whole seconds, next to the code.
  expect(failure.toGraphQLError().extensions).toEqual({
    code: 'UPSTREAM_RATE_LIMITED',
    upstream: 'legacy-ecommerce',
    retryable: true,
    retryAfter: 42,
  });
  expect(upstream.requests).toHaveLength(1);
  expect(sleeps).toEqual([]);
});

it('does not retry a 429 even when it names no wait or a zero one, nor for a write', async () => {
  for (const headers of [{}, { 'retry-after': '0' }] as Record<string, string>[]) {
    upstream.requests.length = 0;
    upstream.handle((_req, res) => json(res, 429, THROTTLED, headers));
    await expect(read(kit())).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
    expect(upstream.requests).toHaveLength(1);
  }
  upstream.requests.length = 0;
  await expect(
    kit().request({ method: 'POST', path: '/api/v2/refunds/', body: {}, idempotent: true }),
  ).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
  expect(upstream.requests).toHaveLength(1);
  expect(sleeps).toEqual([]);
});

it('reads an HTTP-date Retry-After as whole seconds from now, rounded up', async () => {
  const at = new Date(Date.now() + 90_500).toUTCString();
  upstream.handle((_req, res) => json(res, 429, THROTTLED, { 'retry-after': at }));
  const failure = (await read(kit()).catch((e: unknown) => e)) as UpstreamError;
  // The date has whole-second precision: 89.5 to 90.5 s away, so 90 or 91 once rounded up.
  expect([90, 91]).toContain(failure.retryAfterSeconds);
});

it('keeps the breaker closed through 50 consecutive 429s: the next 200 is served', async () => {
  const registry = new Registry();
  const u = kit({ TEST_BREAKER_VOLUME_THRESHOLD: '5' }, { metrics: createUpstreamMetrics(registry) });
  upstream.handle((_req, res) => json(res, 429, THROTTLED, { 'retry-after': '30' }));
  for (let i = 0; i < 50; i++) {
    await expect(read(u)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
  }
  expect(upstream.requests).toHaveLength(50);
  // Not an outage: /status keeps the breaker closed and names no upstream failure.
  expect(u.status()).toMatchObject({ breaker: 'closed', lastError: null });
  upstream.handle((_req, res) => json(res, 200, { count: 0, results: [] }));
  await expect(read(u)).resolves.toMatchObject({ status: 200 });
  expect(upstream.requests).toHaveLength(51);
  const calls = (await registry.getSingleMetric('switchyard_upstream_calls_total')!.get()).values;
  const outcome = (name: string) => calls.find((v) => v.labels.outcome === name)?.value;
  expect([outcome('rate_limited'), outcome('success'), outcome('error')]).toEqual([50, 1, undefined]);
});

it('still opens the breaker on 5xx mixed with 429s: only the failures count', async () => {
  const u = kit({ TEST_BREAKER_VOLUME_THRESHOLD: '4', TEST_RETRIES: '0' });
  let n = 0;
  upstream.handle((_req, res) => (n++ % 2 ? json(res, 500, {}) : json(res, 429, THROTTLED)));
  for (let i = 0; i < 8; i++) await read(u).catch(() => undefined);
  // Four 500s of eight calls is 50%: not above the threshold. Two more 500s open it.
  expect(u.status().breaker).toBe('closed');
  upstream.handle((_req, res) => json(res, 500, {}));
  await read(u).catch(() => undefined);
  await read(u).catch(() => undefined);
  expect(u.status()).toMatchObject({ breaker: 'open', lastError: { code: 'UPSTREAM_ERROR' } });
});

it('does not answer a throttled caller from the stale store', async () => {
  const u = kit({ TEST_STALE_IF_ERROR_MS: '60000' });
  const request = { method: 'GET', path: '/api/v2/orders/', staleScope: 'learner1' } as const;
  upstream.handle((_req, res) => json(res, 200, { count: 1, results: [] }));
  await u.request(request);
  await new Promise((r) => setTimeout(r, 20)); // the store write is not awaited by the request
  upstream.handle((_req, res) => json(res, 429, THROTTLED, { 'retry-after': '42' }));
  await expect(u.request(request)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
  // A 503 still is: stale-if-error is for failures of the upstream.
  upstream.handle((_req, res) => json(res, 503, {}));
  await expect(u.request(request)).resolves.toMatchObject({ status: 200, stale: expect.any(Object) });
});

it('does not take a proxy’s HTML 429 for a malformed body', async () => {
  upstream.handle((_req, res) => {
    res.writeHead(429, { 'content-type': 'text/html', 'retry-after': '5' });
    res.end('<html><body>Too Many Requests</body></html>');
  });
  await expect(read(kit())).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfterSeconds: 5 });
});
