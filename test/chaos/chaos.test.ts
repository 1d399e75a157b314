import { allExperiments } from '../../scripts/chaos/allExperiments';
import { FAST_SETTINGS } from '../../scripts/chaos/ChaosExperiment';
import type { ExperimentResult } from '../../scripts/chaos/ExperimentRecord';
import { runExperiments } from '../../scripts/chaos/runExperiments';

// The chaos experiments with short phases: the same code, thresholds and runner as `npm run chaos`
// (including its fresh attempts after a starved one: see runExperiments), about a second of load per
// phase.
describe('chaos experiments (fast settings)', () => {
  it.each(allExperiments.map((experiment) => [experiment.id, experiment] as const))(
    '%s passes',
    async (_id, experiment) => {
      const [result] = await runExperiments([experiment], FAST_SETTINGS);
      if (result!.verdict !== 'pass') throw new Error(explain(result!));
    },
    // Process starts (T9–T15) and up to three attempts on a starved 2-core box take more than the
    // default 30 s; each experiment bounds its own waits below this.
    240_000,
  );
});

function explain(result: ExperimentResult): string {
  const missed = result.failed.map(
    (check) => `${check} = ${String(result.figures[check])}, needs ${result.thresholds[check] ?? '?'}`,
  );
  return `${result.id} failed:\n  ${missed.join('\n  ')}\nfigures: ${JSON.stringify(result.figures)}`;
}
