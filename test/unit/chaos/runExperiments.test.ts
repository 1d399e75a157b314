import type { ChaosExperiment } from '../../../scripts/chaos/ChaosExperiment';
import { FAST_SETTINGS } from '../../../scripts/chaos/ChaosExperiment';
import { ExperimentRecord, type CheckKind } from '../../../scripts/chaos/ExperimentRecord';
import { runExperiments } from '../../../scripts/chaos/runExperiments';

// An experiment whose n-th run (0-based) passes or misses one check of the given kind.
function scripted(kind: CheckKind, passesOnRun: number): ChaosExperiment & { runs: number } {
  return {
    id: 'TX',
    title: 'scripted',
    runs: 0,
    async run() {
      const record = new ExperimentRecord('TX', 'scripted');
      const ok = this.runs++ >= passesOnRun;
      record.equals('checked', ok ? 1 : 0, 1, kind);
      return record.result();
    },
  };
}

describe('runExperiments re-runs', () => {
  it.each<CheckKind>(['timing', 'baseline'])(
    'gives a %s miss one fresh attempt and says so',
    async (kind) => {
      const experiment = scripted(kind, 1);
      const [result] = await runExperiments([experiment], FAST_SETTINGS);
      expect(experiment.runs).toBe(2);
      expect(result!.verdict).toBe('pass');
      expect(result!.firstAttemptMissed).toEqual({ checked: 0 });
    },
  );

  it('never re-runs a miss on an exact check (counts, codes, states)', async () => {
    const experiment = scripted('exact', 1);
    const [result] = await runExperiments([experiment], FAST_SETTINGS);
    expect(experiment.runs).toBe(1);
    expect(result!.verdict).toBe('fail');
  });

  it('re-runs only once: a second miss fails', async () => {
    const experiment = scripted('baseline', 5);
    const [result] = await runExperiments([experiment], FAST_SETTINGS);
    expect(experiment.runs).toBe(2);
    expect(result!.verdict).toBe('fail');
  });
});
