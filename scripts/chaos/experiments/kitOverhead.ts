import { measureKitOverhead } from '../../../bench/kitOverhead';
import type { ChaosExperiment, ChaosSettings } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';

const RATE = 500;

/**
 * T17: what the upstream kit (deadline, bulkhead, breaker, retry wrapper) adds to one call against a
 * bare undici call, at 500 requests/s open loop, the load generator in its own process
 * (bench/kitOverhead.ts, also part of `npm run bench`). Judged end to end at p50 and p99; the same
 * difference measured inside the server around the call alone is reported beside it, so a miss says
 * whether the kit's own work or the box's scheduling took the time.
 */
export const kitOverhead: ChaosExperiment = {
  id: 'T17',
  title: "the upstream kit's own overhead vs a direct undici call at 500 req/s",
  async run(settings: ChaosSettings) {
    const record = new ExperimentRecord(this.id, this.title);
    const result = await measureKitOverhead({
      ratePerSec: RATE,
      phaseMs: settings.phaseMs,
      rounds: 3,
      warmupMs: 1000,
    });
    record.atMost('overheadP50Ms', result.overheadMs.p50, 1, 'timing');
    record.atMost('overheadP99Ms', result.overheadMs.p99, 3, 'timing');
    // Both are the no-fault baseline: only a starved box misses them (the kit then sheds calls past its
    // deadline or bulkhead, as designed), and then the latencies above measure the box, not the kit.
    record.equals('errors.direct', result.errors.direct, 0, 'baseline');
    record.equals('errors.kit', result.errors.kit, 0, 'baseline');
    record.atLeast('achievedRatePerSec', result.achievedRatePerSec, RATE * 0.9, 'baseline');
    record.figure('samplesPerVariant', Math.min(result.endToEnd.direct.samples, result.endToEnd.kit.samples));
    record.figure('direct.p50Ms', result.endToEnd.direct.p50);
    record.figure('direct.p99Ms', result.endToEnd.direct.p99);
    record.figure('kit.p50Ms', result.endToEnd.kit.p50);
    record.figure('kit.p99Ms', result.endToEnd.kit.p99);
    record.figure('inProcessOverheadP50Ms', result.inProcessOverheadMs.p50);
    record.figure('inProcessOverheadP99Ms', result.inProcessOverheadMs.p99);
    return record.result();
  },
};
