import { createServer } from 'node:http';
import { listen, close } from '../../../platform/http/listen';
import { createUpstream } from '../../../upstream/createUpstream';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import type { ChaosExperiment } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';

const CALLS = 10;

/**
 * T8: a request that is not idempotent (a mutation) is never sent twice once its bytes may have
 * reached the upstream. The fake upstream reads the whole body — it could have acted on it — then
 * resets the connection. Each mutation must reach it exactly once; the same request marked
 * idempotent is the control that shows the kit would otherwise retry (1 + 2 retries).
 */
export const mutationNotRetried: ChaosExperiment = {
  id: 'T8',
  title: 'mutation reset after its body was read: never retried',
  async run() {
    const record = new ExperimentRecord(this.id, this.title);
    let received = 0;
    const server = createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        received++;
        res.socket?.resetAndDestroy();
      });
    });
    const url = await listen(server, 0);
    // Two kits: after ten failed mutations the first one's breaker is (rightly) open.
    const upstream = createUpstream(parseUpstreamEnv('CHAOS', 'mutation-target', url, {}));
    const control = createUpstream(parseUpstreamEnv('CHAOS', 'control-target', url, {}));
    try {
      const send = (idempotent: boolean) =>
        (idempotent ? control : upstream)
          .request({ method: 'POST', path: '/refund', body: { order: 'EDX-100001' }, idempotent })
          .then(() => 'ok')
          .catch((error: { code?: string }) => error.code ?? 'error');
      const outcomes = await Promise.all(Array.from({ length: CALLS }, () => send(false)));
      record.figure('mutations', CALLS);
      record.equals('upstreamReceivedMutations', received, CALLS);
      record.equals(
        'allUnavailable',
        outcomes.every((o) => o === 'UPSTREAM_UNAVAILABLE'),
        true,
      );

      received = 0;
      await send(true);
      record.equals('controlIdempotentAttempts', received, 3);
    } finally {
      await upstream.close();
      await control.close();
      await close(server, 100);
    }
    return record.result();
  },
};
