import type { ChaosExperiment, ChaosSettings } from './ChaosExperiment';
import { crashed, type ExperimentResult } from './ExperimentRecord';

/**
 * Runs experiments one after another — never in parallel: each measures latency on a box the
 * others would be loading — turning a crash into a failed verdict so one broken experiment cannot
 * hide the others' figures.
 *
 * An experiment that misses only latency bounds (or the no-fault baseline phase, whose requests
 * only fail when a starved box runs them into the deadline) is run once more on a fresh stack: on a shared 2-core
 * box another process (or one full GC) can take the CPU for tens to hundreds of ms and sink a p99 of
 * a hundred samples (seen: T6's rejection p99 at 31 ms once, 6 ms on the next run), while a real
 * regression misses them both times. Counts, codes and breaker states are never given a second
 * chance, and the second attempt's result says what the first one missed.
 */
export async function runExperiments(
  experiments: readonly ChaosExperiment[],
  settings: ChaosSettings,
  onResult: (result: ExperimentResult) => void = () => undefined,
): Promise<ExperimentResult[]> {
  const results: ExperimentResult[] = [];
  for (const experiment of experiments) {
    let result = await attempt(experiment, settings);
    if (missedOnlyTiming(result)) {
      const missed = Object.fromEntries(result.failed.map((check) => [check, result.figures[check] ?? null]));
      result = { ...(await attempt(experiment, settings)), firstAttemptMissed: missed };
    }
    results.push(result);
    onResult(result);
  }
  return results;
}

async function attempt(experiment: ChaosExperiment, settings: ChaosSettings): Promise<ExperimentResult> {
  try {
    return await experiment.run(settings);
  } catch (error) {
    return crashed(experiment.id, experiment.title, error);
  }
}

const missedOnlyTiming = (result: ExperimentResult) =>
  result.verdict === 'fail' && result.failed.every((check) => result.timingChecks.includes(check));
