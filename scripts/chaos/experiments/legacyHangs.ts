import type { ChaosExperiment } from '../ChaosExperiment';
import { alternateSlices, slicePairs } from '../alternateSlices';
import { chaosQueries } from '../chaosQueries';
import { ExperimentRecord } from '../ExperimentRecord';
import { recordProbeUnaffected } from '../recordProbeUnaffected';
import { retainedHeapMB } from '../retainedHeapMB';
import { runClosedLoop, runFixedRate, summarize, untilFirstOk } from '../runLoad';
import { startChaosStack } from '../startChaosStack';
import { watchStatus } from '../watchStatus';

const ATTEMPT_MS = 300;
const REQUEST_MS = 1000;
const BULKHEAD = 8;
const QUEUE = 64;
const MB = 1024 * 1024;
// Retained-heap growth allowed over the hang: a leak of one object per request (≈ 100 B × the few
// thousand requests of a full run) stays under it, a leaked socket or closure per request does not.
const HEAP_GROWTH_MB = 10;

/**
 * T4: the legacy API hangs (fault proxy `hang`) under a steady legacy load above what a bulkhead of 8
 * can drain at one 300 ms deadline per call. Catalog queries must not notice (their latency tail within
 * 1.2× + 5 ms of baseline), legacy calls never exceed the bulkhead or its queue, nothing legacy-bound
 * outlives its request deadline, the event loop stays responsive and memory flat. The breaker is kept out of the
 * way (volume threshold 10 000) so the bulkhead and deadlines alone carry the hang: their worst case.
 */
export const legacyHangs: ChaosExperiment = {
  id: 'T4',
  title: 'legacy hangs: catalog unaffected, bulkhead holds, memory flat',
  async run(settings) {
    const record = new ExperimentRecord(this.id, this.title);
    const chaos = await startChaosStack({
      LEGACY_ECOMMERCE_TIMEOUT_MS: String(ATTEMPT_MS),
      LEGACY_ECOMMERCE_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      LEGACY_ECOMMERCE_BULKHEAD_MAX_CONCURRENT: String(BULKHEAD),
      LEGACY_ECOMMERCE_BULKHEAD_MAX_QUEUE: String(QUEUE),
      LEGACY_ECOMMERCE_BREAKER_VOLUME_THRESHOLD: '10000',
    });
    try {
      const q = chaosQueries(chaos.seed);
      const catalog = () => chaos.gateway.outcome(q.catalog);
      const legacy = () => chaos.gateway.outcome(q.legacy);
      // Warm-up: first requests pay for query planning and JIT; they would skew the first slice.
      await runClosedLoop({ clients: 2, durationMs: 300, call: catalog });
      const steady = summarize(await runClosedLoop({ clients: 2, durationMs: 300, call: legacy }));
      record.equals('steadyLegacySuccessRate', steady.successRate, 1);
      const heapBefore = retainedHeapMB();
      const rssBefore = process.memoryUsage().rss;
      const status = watchStatus(chaos.stack.adminUrls.orders, 'legacy-ecommerce', 20);
      const samples = await alternateSlices({
        pairs: slicePairs(settings.phaseMs),
        sliceMs: settings.phaseMs / slicePairs(settings.phaseMs),
        setFault: (on) =>
          on ? chaos.legacyProxy.setFaults({ hang: true }) : chaos.legacyProxy.clearFaults(),
        load: async (sliceMs) => {
          const background = { ratePerSec: settings.loadRatePerSec, durationMs: sliceMs, maxInFlight: 200 };
          const [probe, load] = await Promise.all([
            runClosedLoop({ clients: 1, durationMs: sliceMs, call: catalog }),
            runFixedRate({ ...background, call: legacy }),
          ]);
          return { probe, background: load.samples };
        },
      });
      await status.stop();

      const legacyHang = summarize(samples.fault.background);
      recordProbeUnaffected(record, samples, settings);
      record.figure('legacyOutcomesDuringHang', JSON.stringify(legacyHang.outcomes));
      record.atMost('legacyMaxInFlight', status.maxInFlight, BULKHEAD);
      record.atMost('legacyMaxQueued', status.maxQueued, QUEUE);
      record.figure('statusPolls', status.polls);
      // Queued or not, a legacy-bound request ends by its request deadline (+ the gateway's own work).
      record.atMost('legacyMaxMsDuringHang', legacyHang.max, REQUEST_MS + 200, 'timing');
      // 50 ms (docs/reference/resilience.md T4) on a quiet box; on a busy shared one, within 1.2× + 5 ms of the
      // baseline slices' own delay: either way the hang itself does not block the loop.
      record.figure('eventLoopDelayP99MsBaseline', samples.baseline.loopDelayP99Ms);
      record.atMost(
        'eventLoopDelayP99MsDuringHang',
        samples.fault.loopDelayP99Ms,
        Math.max(50, samples.baseline.loopDelayP99Ms * 1.2 + 5),
        'timing',
      );

      // Connections the proxy accepted during the hang never get an upstream (a proxy artefact: undici
      // opens a fresh one after each aborted attempt), so a first call after the fault may still
      // spend a deadline on one: recovery is "answers again within a few deadlines".
      const recovery = await untilFirstOk(legacy, 10 * ATTEMPT_MS);
      record.figure('failuresBeforeRecovery', recovery.before.length);
      record.atMost('msToFirstLegacySuccess', recovery.ms, 10 * ATTEMPT_MS, 'timing');

      // Flat memory: what the hang leaves behind once collected (aborted sockets, timers, queued
      // requests) must not grow the heap; RSS is reported for reference only.
      const heapAfter = retainedHeapMB();
      record.figure('retainedHeapBeforeMB', heapBefore);
      record.figure('rssGrowthMB', (process.memoryUsage().rss - rssBefore) / MB);
      record.atMost('retainedHeapGrowthMB', heapAfter - heapBefore, HEAP_GROWTH_MB);
    } finally {
      await chaos.stop();
    }
    return record.result();
  },
};
