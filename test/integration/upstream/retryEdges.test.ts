import type { IncomingMessage, ServerResponse } from 'node:http';
import { createUpstream, type UpstreamDeps } from '../../../upstream/createUpstream';
import type { Upstream } from '../../../upstream/Upstream';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';

// The retry loop's edges, each pinned so a change to it fails a test: the deadline boundary, the
// budget slot a retry holds (and only a retry), a caller leaving mid-backoff, and what a failure that
// is not an upstream's becomes.
let upstream: FakeUpstream;
const opened: Upstream[] = [];
let fakeNow = 0;
const sleeps: number[] = [];
const deps: UpstreamDeps = {
  random: () => 0.5,
  sleep: async (ms) => {
    sleeps.push(ms);
    fakeNow += ms;
  },
  now: () => fakeNow,
};

function kit(env: Record<string, string> = {}, extra: UpstreamDeps = {}) {
  const u = createUpstream(
    parseUpstreamEnv('T', 't', upstream.url, { T_BREAKER_VOLUME_THRESHOLD: '1000', ...env }),
    { ...deps, ...extra },
  );
  opened.push(u);
  return u;
}

beforeEach(async () => {
  upstream = await startFakeUpstream();
  fakeNow = 1_000_000;
  sleeps.length = 0;
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.close()));
  await upstream.close();
});

describe('the request deadline', () => {
  // Retry-After: 2 makes the backoff exactly 2000 ms, and the fake clock moves only by backoff: the
  // retry is allowed only when its backoff ends at least 1 ms before the deadline.
  beforeEach(() => upstream.handle((_req, res) => json(res, 503, {}, { 'retry-after': '2' })));

  it('refuses a retry whose backoff would end 1 ms before the deadline or later', async () => {
    await expect(
      kit({ T_REQUEST_TIMEOUT_MS: '2001', T_RETRIES: '1' }).request({ method: 'GET', path: '/x' }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', detail: { status: 503 } });
    expect(upstream.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('takes a retry whose backoff ends 2 ms before the deadline', async () => {
    await expect(
      kit({ T_REQUEST_TIMEOUT_MS: '2002', T_RETRIES: '1' }).request({ method: 'GET', path: '/x' }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(upstream.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });
});

describe('the retry budget through the kit', () => {
  it.each([
    ['503', (res: ServerResponse) => json(res, 503, {})],
    ['a reset after the request arrived', (res: ServerResponse) => res.socket?.destroy()],
  ])(
    'charges retries only: six reads failing (%s) in lockstep on a floor of three get 3 + 3 retries',
    async (_kind, fail) => {
      // Each round is answered 503 together, once every request of the round has arrived or after
      // 100 ms. Round 1: six first attempts; then three retries hold the three slots (the other three
      // requests are refused a retry); round 2: those three retries, which give their slots back and
      // take them again; round 3: their second retries. A first attempt that gave back a slot it never
      // took would leave room for all six retries.
      let waiting: ServerResponse[] = [];
      let timer: NodeJS.Timeout | undefined;
      const answer = () => {
        clearTimeout(timer);
        for (const r of waiting) fail(r);
        waiting = [];
      };
      upstream.handle((_req: IncomingMessage, res: ServerResponse) => {
        waiting.push(res);
        if (waiting.length === 6) return answer();
        clearTimeout(timer);
        timer = setTimeout(answer, 100);
      });
      const u = kit({ T_RETRY_BUDGET_PERCENT: '0' }, { sleep: async () => undefined });
      await Promise.allSettled(Array.from({ length: 6 }, () => u.request({ method: 'GET', path: '/x' })));
      expect(upstream.requests).toHaveLength(6 + 3 + 3);
    },
  );

  it('gives a slot back when the caller leaves during the backoff, and answers with the failure it had', async () => {
    upstream.handle((_req, res) => json(res, 503, {}));
    let controller = new AbortController();
    let leave = true;
    const u = kit(
      { T_RETRY_BUDGET_PERCENT: '0' },
      {
        // The caller leaves while the retry waits; the wait ends as a real one would, aborted.
        sleep: async (_ms, signal) => {
          if (!leave) return;
          controller.abort();
          signal.throwIfAborted();
        },
      },
    );
    for (let i = 0; i < 3; i++) {
      controller = new AbortController();
      await expect(u.request({ method: 'GET', path: '/x', signal: controller.signal })).rejects.toMatchObject(
        {
          code: 'UPSTREAM_ERROR',
          detail: { status: 503 },
        },
      );
    }
    expect(upstream.requests).toHaveLength(3);
    // The three slots of the floor are free again: the next failing read gets both its retries.
    leave = false;
    await expect(u.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(upstream.requests).toHaveLength(3 + 3);
  });
});

describe('a refused call', () => {
  it('says the circuit is open, never sent, and does not reach the upstream', async () => {
    upstream.handle((_req, res) => json(res, 500, {}));
    const u = kit({ T_BREAKER_VOLUME_THRESHOLD: '2' });
    for (let i = 0; i < 2; i++) await u.request({ method: 'GET', path: '/x' }).catch(() => undefined);
    const calls = upstream.requests.length;
    await expect(u.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: 't is unavailable (circuit open)',
      detail: { breakerOpen: true, neverSent: true },
    });
    expect(upstream.requests).toHaveLength(calls);
  });

  it('is not taken for an open circuit when the caller left while it queued', async () => {
    let release: () => void = () => undefined;
    upstream.handle((_req, res) => {
      release = () => json(res, 200, {});
    });
    const u = kit({ T_BULKHEAD_MAX_CONCURRENT: '1', T_BULKHEAD_MAX_QUEUE: '1' });
    const first = u.request({ method: 'GET', path: '/x' });
    while (upstream.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const controller = new AbortController();
    const queued = u.request({ method: 'GET', path: '/x', signal: controller.signal });
    controller.abort(new Error('client went away'));
    const failure = await queued.catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 't call failed',
      detail: { cause: 'client went away' },
    });
    expect((failure as { detail: { breakerOpen?: boolean } }).detail.breakerOpen).toBeUndefined();
    release();
    await expect(first).resolves.toMatchObject({ status: 200 });
    expect(upstream.requests).toHaveLength(1);
  });
});
