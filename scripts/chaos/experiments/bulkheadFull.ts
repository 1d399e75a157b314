import type { ChaosExperiment } from '../ChaosExperiment';
import { chaosQueries } from '../chaosQueries';
import { ExperimentRecord } from '../ExperimentRecord';
import { runClosedLoop, runFixedRate, summarize } from '../runLoad';
import { startChaosStack } from '../startChaosStack';
import { readUpstreamStatus, watchStatus } from '../watchStatus';

const BULKHEAD = 4;
const QUEUE = 4;
const LATENCY_MS = 200;
const OVERLOADED = 'UPSTREAM_OVERLOADED@legacy-ecommerce';

/**
 * T6: a healthy but slow legacy API (200 ms a call) behind a bulkhead of 4 with a queue of 4 gets
 * offered twice what it can carry. Past the queue, the excess must be refused at once with
 * UPSTREAM_OVERLOADED — not left waiting behind the slow calls — and the breaker must stay closed: "we are busy" is not "the upstream is sick". A
 * volume threshold of 2 makes the breaker trip on almost anything that counted as a failure.
 */
export const bulkheadFull: ChaosExperiment = {
  id: 'T6',
  title: 'bulkhead full, upstream slow but healthy: excess refused fast, breaker closed',
  async run(settings) {
    const record = new ExperimentRecord(this.id, this.title);
    const chaos = await startChaosStack({
      LEGACY_ECOMMERCE_BULKHEAD_MAX_CONCURRENT: String(BULKHEAD),
      LEGACY_ECOMMERCE_BULKHEAD_MAX_QUEUE: String(QUEUE),
      LEGACY_ECOMMERCE_BREAKER_VOLUME_THRESHOLD: '2',
    });
    try {
      const q = chaosQueries(chaos.seed);
      const legacy = () => chaos.gateway.outcome(q.legacy);
      chaos.legacy.setFaults({ latencyMs: LATENCY_MS });
      const steady = summarize(
        await runClosedLoop({ clients: BULKHEAD, durationMs: settings.phaseMs / 2, call: legacy }),
      );
      record.equals('steadySuccessRate', steady.successRate, 1, 'baseline');

      // Offered: twice the bulkhead's capacity (4 calls per 200 ms = 20 calls/s).
      const capacityPerSec = (BULKHEAD * 1000) / LATENCY_MS;
      const status = watchStatus(chaos.stack.adminUrls.orders, 'legacy-ecommerce', 20);
      const rejectedBefore = (await readUpstreamStatus(chaos.stack.adminUrls.orders, 'legacy-ecommerce'))
        .rejectedOverload;
      const [overload, reference] = await Promise.all([
        runFixedRate({
          ratePerSec: 2 * capacityPerSec,
          durationMs: settings.phaseMs,
          maxInFlight: 64,
          call: legacy,
        }),
        runClosedLoop({
          clients: 1,
          durationMs: settings.phaseMs,
          call: () => chaos.gateway.outcome(q.catalog),
        }),
      ]);
      await status.stop();

      const rejected = summarize(overload.samples.filter((s) => s.outcome === OVERLOADED));
      const served = summarize(overload.samples.filter((s) => s.outcome === 'ok'));
      const other = overload.samples.length - rejected.count - served.count;
      const catalog = summarize(reference);
      record.figure('offeredPerSec', 2 * capacityPerSec);
      record.figure('served', served.count);
      record.atLeast('rejected', rejected.count, 1);
      record.equals('otherOutcomes', other, 0);
      record.figure('servedP50Ms', served.p50);
      record.figure('rejectionP50Ms', rejected.p50);
      record.figure('catalogP99Ms', catalog.p99);
      // A refused call waited for nothing: 20 ms end to end on a quiet box (docs/reference/resilience.md T6 asks
      // ≤ 5 ms inside the kit), and on a busy one within T4's margin (1.2× + 5 ms) of a healthy
      // catalog request alongside — a call left waiting for a slot would take the upstream's 200 ms.
      record.atMost('rejectionP99Ms', rejected.p99, Math.max(20, catalog.p99 * 1.2 + 5), 'timing');
      record.atMost('legacyMaxInFlight', status.maxInFlight, BULKHEAD);
      record.atMost('legacyMaxQueued', status.maxQueued, QUEUE);
      const after = await readUpstreamStatus(chaos.stack.adminUrls.orders, 'legacy-ecommerce');
      record.equals('statusCountsEveryRejection', after.rejectedOverload - rejectedBefore, rejected.count);
      record.equals(
        'breakerOpenEvents',
        chaos.breakers.of('legacy-ecommerce').filter((e) => e.state === 'open').length,
        0,
      );
      record.equals('breakerAfter', after.breaker, 'closed');
    } finally {
      await chaos.stop();
    }
    return record.result();
  },
};
