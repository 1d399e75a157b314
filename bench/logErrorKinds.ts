import type { RunResult } from './measureRun';

/** One line per kind of failed request a run saw, named by its stack. */
export function logErrorKinds(runs: readonly RunResult[], log: (line: string) => void): void {
  for (const run of runs) {
    for (const [kind, n] of Object.entries(run.load.errorKinds))
      log(`[${run.variant ?? run.client}] ${n}× ${kind}`);
  }
}
