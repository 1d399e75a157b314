import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosExperiment, ChaosSettings } from './ChaosExperiment';
import { crashed, type ExperimentResult, type Figure } from './ExperimentRecord';

/** One first attempt and at most two fresh ones. */
export const MAX_ATTEMPTS = 3;

/** Before a fresh attempt: let the box settle (the previous stack's sockets close, a GC runs). */
const SETTLE_MS = 1000;

export interface RunOptions {
  /** Pause before a fresh attempt (tests of the runner itself pass 0). */
  settleMs?: number;
}

/**
 * Runs experiments one after another — never in parallel: each measures latency on a box the
 * others would be loading — turning a crash into a failed verdict so one broken experiment cannot
 * hide the others' figures.
 *
 * An attempt is inconclusive, and the experiment runs again on a fresh stack (up to MAX_ATTEMPTS),
 * when it missed only latency bounds, or when its no-fault baseline phase failed: on a shared 2-core
 * box another process (or one full GC) can take the CPU for tens to hundreds of ms and sink a p99 of
 * a hundred samples (seen: T6's rejection p99 at 31 ms once, 6 ms on the next run), and a box starved
 * for seconds fails the baseline's requests on their deadline — and, with it, every count measured
 * in the same attempt (seen in CI: T1-T2's steady phase at 14 % success, p99 6.2 s). A real
 * regression misses every attempt. Counts, codes and breaker states measured beside a healthy
 * baseline are never given another chance, and the result lists what each earlier attempt missed.
 */
export async function runExperiments(
  experiments: readonly ChaosExperiment[],
  settings: ChaosSettings,
  onResult: (result: ExperimentResult) => void = () => undefined,
  { settleMs = SETTLE_MS }: RunOptions = {},
): Promise<ExperimentResult[]> {
  const results: ExperimentResult[] = [];
  for (const experiment of experiments) {
    const earlier: Record<string, Figure>[] = [];
    let result = await attempt(experiment, settings);
    while (inconclusive(result) && earlier.length + 1 < MAX_ATTEMPTS) {
      earlier.push(Object.fromEntries(result.failed.map((check) => [check, result.figures[check] ?? null])));
      await sleep(settleMs);
      result = await attempt(experiment, settings);
    }
    if (earlier.length > 0) result = { ...result, earlierAttemptsMissed: earlier };
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

function inconclusive(result: ExperimentResult): boolean {
  if (result.verdict !== 'fail') return false;
  const starved = result.failed.some((check) => result.baselineChecks.includes(check));
  const timingOnly = result.failed.every(
    (check) => result.timingChecks.includes(check) || result.baselineChecks.includes(check),
  );
  return starved || timingOnly;
}
