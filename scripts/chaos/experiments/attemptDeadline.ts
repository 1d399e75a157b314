import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosExperiment } from '../ChaosExperiment';
import { chaosQueries } from '../chaosQueries';
import { ExperimentRecord } from '../ExperimentRecord';
import { runClosedLoop, runFixedRate, summarize } from '../runLoad';
import { startChaosStack } from '../startChaosStack';

const ATTEMPT_MS = 300;
const RATE_PER_SEC = 8;
const TIMEOUT = 'UPSTREAM_TIMEOUT@legacy-ecommerce';

/**
 * T5: with the legacy API hung, each attempt ends at its deadline (300 ms, ±100 ms seen from the
 * client) and its socket is closed, so the upstream sees the caller go away instead of holding a
 * dead request. The load stays well inside the bulkhead (8/s × 0.3 s ≈ 2.4 in flight), so no call
 * queues and every latency is one attempt.
 */
export const attemptDeadline: ChaosExperiment = {
  id: 'T5',
  title: 'legacy hangs: each attempt ends at its deadline and closes its socket',
  async run(settings) {
    const record = new ExperimentRecord(this.id, this.title);
    const chaos = await startChaosStack({
      LEGACY_ECOMMERCE_TIMEOUT_MS: String(ATTEMPT_MS),
      LEGACY_ECOMMERCE_BREAKER_VOLUME_THRESHOLD: '10000',
    });
    try {
      const q = chaosQueries(chaos.seed);
      const legacy = () => chaos.gateway.outcome(q.legacy);
      const steady = summarize(await runClosedLoop({ clients: 2, durationMs: 300, call: legacy }));
      record.equals('steadySuccessRate', steady.successRate, 1, 'baseline');

      const closedBefore = chaos.legacyProxy.stats().closedByClient;
      chaos.legacyProxy.setFaults({ hang: true });
      const hang = await runFixedRate({
        ratePerSec: RATE_PER_SEC,
        durationMs: settings.phaseMs,
        maxInFlight: 64,
        call: legacy,
      });
      // The proxy counts a close when the socket's close event runs; give it a moment.
      await sleep(100);
      const closedByClient = chaos.legacyProxy.stats().closedByClient - closedBefore;
      chaos.legacyProxy.clearFaults();

      const summary = summarize(hang.samples);
      const timeouts = summarize(hang.samples.filter((s) => s.outcome === TIMEOUT));
      const latencies = hang.samples.filter((s) => s.outcome === TIMEOUT).map((s) => s.ms);
      record.figure('requests', summary.count);
      record.equals('timeoutShare', timeouts.count / summary.count, 1);
      record.figure('timeoutP50Ms', timeouts.p50);
      record.atLeast('timeoutMinMs', Math.min(...latencies), ATTEMPT_MS - 5, 'timing');
      record.atMost('timeoutP99Ms', timeouts.p99, ATTEMPT_MS + 100, 'timing');
      record.figure('timeoutMaxMs', timeouts.max);
      record.atLeast('proxyClosedByClient', closedByClient, timeouts.count);
    } finally {
      await chaos.stop();
    }
    return record.result();
  },
};
