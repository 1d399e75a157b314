import type { ChaosSettings } from './ChaosExperiment';
import type { ExperimentResult, Verdict } from './ExperimentRecord';

export interface ChaosReport {
  generatedAt: string;
  node: string;
  cpus: number;
  settings: ChaosSettings;
  runs: { results: ExperimentResult[] }[];
  /** Experiments whose verdict differed between runs: a flaky verdict is a finding in itself. */
  disagreements: { id: string; verdicts: Verdict[] }[];
  verdictsMatch: boolean;
  /** Every verdict of every run passed and the runs agreed. */
  pass: boolean;
}

export function buildChaosReport(
  settings: ChaosSettings,
  runs: ExperimentResult[][],
  environment: { node: string; cpus: number },
): ChaosReport {
  const ids = [...new Set(runs.flat().map((r) => r.id))];
  const disagreements = ids
    .map((id) => ({ id, verdicts: runs.map((run) => run.find((r) => r.id === id)?.verdict ?? 'fail') }))
    .filter(({ verdicts }) => new Set(verdicts).size > 1);
  const allPass = runs.every((run) => run.every((r) => r.verdict === 'pass'));
  return {
    generatedAt: new Date().toISOString(),
    ...environment,
    settings,
    runs: runs.map((results) => ({ results })),
    disagreements,
    verdictsMatch: disagreements.length === 0,
    pass: allPass && disagreements.length === 0,
  };
}
