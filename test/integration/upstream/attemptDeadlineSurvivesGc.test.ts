import { setTimeout as delay } from 'node:timers/promises';
import { collectGarbage } from '../../../scripts/chaos/collectGarbage';
import { createUpstream } from '../../../upstream/createUpstream';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';

let upstream: FakeUpstream;
beforeEach(async () => {
  upstream = await startFakeUpstream();
});
afterEach(() => upstream.close());

/**
 * Regression (found by the chaos suite: a legacy call in the hang experiments ending at the 5 s request
 * deadline instead of its 300 ms attempt deadline). On Node 20 a timeout signal held only inside
 * AbortSignal.any() can be garbage-collected before it fires (nodejs/node#57736), so once V8 had
 * optimised the attempt, a GC while an upstream hung removed the attempt deadline. The kit now uses
 * upstream/deadlineSignal.ts (a plain timer, cleared in `finally`).
 */
describe('attempt deadline', () => {
  it('ends a hung attempt at its own deadline even when GC runs while it waits', async () => {
    let hang = false;
    upstream.handle((_req, res) => {
      if (!hang) json(res, 200, { ok: true });
    });
    const kit = createUpstream(
      parseUpstreamEnv('T', 't', upstream.url, {
        T_TIMEOUT_MS: '100',
        T_REQUEST_TIMEOUT_MS: '10000',
        T_BREAKER_VOLUME_THRESHOLD: '10000',
      }),
    );
    try {
      // Healthy traffic first, as in production before an upstream hangs: V8 optimises the kit. On a
      // starved box a warm-up call can outlast the 100 ms deadline itself; it still warms the code.
      for (let i = 0; i < 3000; i++)
        await kit.request({ method: 'GET', path: '/warm' }).catch(() => undefined);
      hang = true;
      const started = Date.now();
      const calls = Array.from({ length: 5 }, () =>
        kit.request({ method: 'GET', path: '/x' }).catch((e) => e),
      );
      await delay(20);
      collectGarbage();
      const errors = await Promise.all(calls);
      const elapsed = Date.now() - started;
      expect(errors).toEqual(Array(5).fill(expect.objectContaining({ code: 'UPSTREAM_TIMEOUT' })));
      // 100 ms attempt deadline; with the bug, 10 s (the request deadline). The margin is wide because
      // a full collection of a jest worker's heap on a busy 2-core box can itself take a second.
      expect(elapsed).toBeLessThan(5000);
    } finally {
      await kit.close();
    }
  });
});
