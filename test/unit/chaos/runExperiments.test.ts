import type { ChaosExperiment } from '../../../scripts/chaos/ChaosExperiment';
import { FAST_SETTINGS } from '../../../scripts/chaos/ChaosExperiment';
import { ExperimentRecord, type CheckKind } from '../../../scripts/chaos/ExperimentRecord';
import { MAX_ATTEMPTS, runExperiments } from '../../../scripts/chaos/runExperiments';

const NO_SETTLE = { settleMs: 0 };

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

// An experiment whose every run misses a baseline and an exact check until run n (0-based).
function starvedUntil(passesOnRun: number): ChaosExperiment & { runs: number } {
  return {
    id: 'TS',
    title: 'starved',
    runs: 0,
    async run() {
      const record = new ExperimentRecord('TS', 'starved');
      const ok = this.runs++ >= passesOnRun;
      record.equals('steadySuccessRate', ok ? 1 : 0.14, 1, 'baseline');
      record.equals('callsWhileOpen', ok ? 0 : 15, 0);
      return record.result();
    },
  };
}

describe('runExperiments attempts', () => {
  it.each<CheckKind>(['timing', 'baseline'])(
    'gives a %s miss a fresh attempt and says what the first one missed',
    async (kind) => {
      const experiment = scripted(kind, 1);
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
    const experiment = scripted('exact', 1);
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
