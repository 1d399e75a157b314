import type { IncomingMessage, ServerResponse } from 'node:http';
import { createUpstream } from '../../../upstream/createUpstream';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';

const REQUESTS = 3;

let upstream: FakeUpstream;
beforeEach(async () => {
  upstream = await startFakeUpstream();
});
afterEach(() => upstream.close());

/**
 * Regression (found by the chaos suite: T7's budget binding harder than configured). The slot of retry
 * n used to be released in a `finally` that ran after retry n+1 had already taken its own, so a request
 * waiting for its second retry held two budget slots and the budget admitted half the second retries
 * it promised.
 */
describe('retry budget', () => {
  it('counts a request waiting for its second retry as one retry in flight', async () => {
    // Each round of attempts is answered 503 together, once all three have arrived (or after 100 ms
    // when a request dropped out), so the requests move in lockstep: all on retry 1, then all asking
    // for retry 2 while each still holds the slot of retry 1.
    let waiting: ServerResponse[] = [];
    let timer: NodeJS.Timeout | undefined;
    const answer = () => {
      clearTimeout(timer);
      for (const r of waiting) json(r, 503, { detail: 'busy' });
      waiting = [];
    };
    upstream.handle((_req: IncomingMessage, res: ServerResponse) => {
      waiting.push(res);
      if (waiting.length === REQUESTS) return answer();
      clearTimeout(timer);
      timer = setTimeout(answer, 100);
    });
    // Budget 0 % ⇒ the floor alone: 3 retries in flight, one per request.
    const kit = createUpstream(
      parseUpstreamEnv('T', 't', upstream.url, {
        T_RETRY_BUDGET_PERCENT: '0',
        T_BREAKER_VOLUME_THRESHOLD: '100',
      }),
      { sleep: async () => undefined },
    );
    try {
      await Promise.allSettled(
        Array.from({ length: REQUESTS }, () => kit.request({ method: 'GET', path: '/x' })),
      );
      // 3 requests × (1 attempt + 2 retries). With the bug: 8, the first request to ask for its second
      // retry finds all three slots taken (two of them by requests that already hold one).
      expect(upstream.requests).toHaveLength(REQUESTS * 3);
    } finally {
      await kit.close();
    }
  });
});
