import type { ChaosExperiment } from '../../../scripts/chaos/ChaosExperiment';
import { FAST_SETTINGS } from '../../../scripts/chaos/ChaosExperiment';
import { ExperimentRecord, type CheckKind } from '../../../scripts/chaos/ExperimentRecord';
import { MAX_ATTEMPTS, runExperiments } from '../../../scripts/chaos/runExperiments';

const NO_SETTLE = { settleMs: 0 };

/**
 * An experiment whose runs before run `passesOnRun` (0-based) miss what `checks` records with
 * ok = false, and pass from then on.
 */
function scripted(
  passesOnRun: number,
  checks: (record: ExperimentRecord, ok: boolean) => void,
): ChaosExperiment & { runs: number } {
  return {
    id: 'TX',
    title: 'scripted',
    runs: 0,
    async run() {
      const record = new ExperimentRecord('TX', 'scripted');
      checks(record, this.runs++ >= passesOnRun);
      return record.result();
    },
  };
}
/** Misses one check of the given kind. */
const missing = (kind: CheckKind, passesOnRun: number) =>
  scripted(passesOnRun, (record, ok) => record.equals('checked', ok ? 1 : 0, 1, kind));
/** Misses its no-fault baseline and, beside it, a count. */
const starvedUntil = (passesOnRun: number) =>
  scripted(passesOnRun, (record, ok) => {
    record.equals('steadySuccessRate', ok ? 1 : 0.14, 1, 'baseline');
    record.equals('callsWhileOpen', ok ? 0 : 15, 0);
  });

describe('runExperiments attempts', () => {
  it.each<CheckKind>(['timing', 'baseline'])(
    'gives a %s miss a fresh attempt and says what the first one missed',
    async (kind) => {
      const experiment = missing(kind, 1);
      const [result] = await runExperiments([experiment], FAST_SETTINGS, undefined, NO_SETTLE);
      expect(experiment.runs).toBe(2);
      expect(result!.verdict).toBe('pass');
      expect(result!.earlierAttemptsMissed).toEqual([{ checked: 0 }]);
    },
  );

  it('treats a failed baseline as a starved attempt: its exact misses earn a fresh attempt too', async () => {
    const experiment = starvedUntil(2);
    const [result] = await runExperiments([experiment], FAST_SETTINGS, undefined, NO_SETTLE);
    expect(experiment.runs).toBe(3);
    expect(result!.verdict).toBe('pass');
    expect(result!.earlierAttemptsMissed).toEqual([
      { steadySuccessRate: 0.14, callsWhileOpen: 15 },
      { steadySuccessRate: 0.14, callsWhileOpen: 15 },
    ]);
  });

  it('never re-runs a miss on an exact check beside a healthy baseline', async () => {
    const experiment = missing('exact', 1);
    const [result] = await runExperiments([experiment], FAST_SETTINGS, undefined, NO_SETTLE);
    expect(experiment.runs).toBe(1);
    expect(result!.verdict).toBe('fail');
    expect(result!.earlierAttemptsMissed).toBeUndefined();
  });

  it(`stops after ${MAX_ATTEMPTS} attempts: a miss every time fails`, async () => {
    const experiment = starvedUntil(5);
    const [result] = await runExperiments([experiment], FAST_SETTINGS, undefined, NO_SETTLE);
    expect(experiment.runs).toBe(MAX_ATTEMPTS);
    expect(result!.verdict).toBe('fail');
    expect(result!.earlierAttemptsMissed).toHaveLength(MAX_ATTEMPTS - 1);
  });
});
