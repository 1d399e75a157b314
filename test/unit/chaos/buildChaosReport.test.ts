import { buildChaosReport, TARGET_IDS, targetsOf } from '../../../scripts/chaos/buildChaosReport';
import { FULL_SETTINGS } from '../../../scripts/chaos/ChaosExperiment';
import { ExperimentRecord, type ExperimentResult } from '../../../scripts/chaos/ExperimentRecord';
import { formatChaosTable } from '../../../scripts/chaos/formatChaosTable';

const passed = (id: string): ExperimentResult => {
  const record = new ExperimentRecord(id, `experiment ${id}`);
  record.equals('count', 1, 1);
  return record.result();
};
const env = { node: 'v20', cpus: 2 };

describe('the chaos report answers for every target', () => {
  it('reads the targets an experiment id covers', () => {
    expect(targetsOf('T9')).toEqual(['T9']);
    expect(targetsOf('T1-T2')).toEqual(['T1', 'T2']);
    expect(targetsOf('GW')).toEqual([]);
    expect(TARGET_IDS).toHaveLength(17);
  });

  it('fails a whole run that leaves a target without an experiment, and names it', () => {
    const ids = ['T1-T2', ...TARGET_IDS.slice(2).filter((t) => t !== 'T16'), 'GW'];
    const run = ids.map(passed);
    const report = buildChaosReport(FULL_SETTINGS, [run, run], env, TARGET_IDS);
    expect(report.uncovered).toEqual(['T16']);
    expect(report.pass).toBe(false);
    expect(formatChaosTable(report)).toContain('FAIL: no experiment for T16');
  });

  it('passes a whole run covering T1-T17 in both runs, and a named subset without the rest', () => {
    const run = ['T1-T2', ...TARGET_IDS.slice(2)].map(passed);
    expect(buildChaosReport(FULL_SETTINGS, [run, run], env, TARGET_IDS).pass).toBe(true);
    // Covered in one run only is not covered.
    expect(buildChaosReport(FULL_SETTINGS, [run, run.slice(1)], env, TARGET_IDS).uncovered).toEqual([
      'T1',
      'T2',
    ]);
    expect(buildChaosReport(FULL_SETTINGS, [[passed('T9')], [passed('T9')]], env).pass).toBe(true);
  });
});
