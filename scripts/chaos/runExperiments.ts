import type { ChaosExperiment, ChaosSettings } from './ChaosExperiment';
import { crashed, type ExperimentResult } from './ExperimentRecord';

/**
 * Runs experiments one after another — never in parallel: each measures latency on a box the
 * others would be loading — turning a crash into a failed verdict so one broken experiment cannot
 * hide the others' figures.
 */
export async function runExperiments(
  experiments: readonly ChaosExperiment[],
  settings: ChaosSettings,
  onResult: (result: ExperimentResult) => void = () => undefined,
): Promise<ExperimentResult[]> {
  const results: ExperimentResult[] = [];
  for (const experiment of experiments) {
    let result: ExperimentResult;
    try {
      result = await experiment.run(settings);
    } catch (error) {
      result = crashed(experiment.id, experiment.title, error);
    }
    results.push(result);
    onResult(result);
  }
  return results;
}
