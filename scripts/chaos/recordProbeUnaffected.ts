import type { AlternatedSamples } from './alternateSlices';
import type { ChaosSettings } from './ChaosExperiment';
import type { ExperimentRecord } from './ExperimentRecord';
import { latencyAt, summarize } from './runLoad';

/**
 * The isolation verdict of the hang experiments: the probe queries, which do not touch the hung
 * component, all succeed during the fault and keep their latency tail within 1.2× + 5 ms of the
 * baseline slices' (docs/reference/resilience.md T4), at the settings' quantile.
 */
export function recordProbeUnaffected(
  record: ExperimentRecord,
  samples: AlternatedSamples,
  settings: ChaosSettings,
): void {
  const tail = `P${Math.round(settings.tailQuantile * 100)}`;
  const baselineTail = latencyAt(samples.baseline.probe, settings.tailQuantile);
  record.figure(`catalogBaseline${tail}Ms`, baselineTail);
  record.equals('catalogSuccessRateDuringHang', summarize(samples.fault.probe).successRate, 1);
  record.atMost(
    `catalog${tail}MsDuringHang`,
    latencyAt(samples.fault.probe, settings.tailQuantile),
    baselineTail * 1.2 + 5,
    'timing',
  );
}
