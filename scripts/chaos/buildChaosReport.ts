import type { ChaosSettings } from './ChaosExperiment';
import type { ExperimentResult, Verdict } from './ExperimentRecord';

/** The targets of the resilience reference (docs/reference/resilience.md §8): one report answers for each. */
export const TARGET_IDS: readonly string[] = Array.from({ length: 17 }, (_, i) => `T${i + 1}`);

/** The targets an experiment id answers for: `T9` → [T9], `T1-T2` → [T1, T2], `GW` → []. */
export function targetsOf(id: string): string[] {
  const match = /^T(\d+)(?:-T(\d+))?$/.exec(id);
  if (!match) return [];
  const low = Number(match[1]);
  const high = Number(match[2] ?? match[1]);
  return Array.from({ length: high - low + 1 }, (_, i) => `T${low + i}`);
}

export interface ChaosReport {
  generatedAt: string;
  node: string;
  cpus: number;
  settings: ChaosSettings;
  runs: { results: ExperimentResult[] }[];
  /** Experiments whose verdict differed between runs: a flaky verdict is a finding in itself. */
  disagreements: { id: string; verdicts: Verdict[] }[];
  verdictsMatch: boolean;
  /** Targets the run was expected to answer for that no experiment in every run covered. */
  uncovered: string[];
  /** Every verdict of every run passed, the runs agreed and no expected target was left uncovered. */
  pass: boolean;
}

export function buildChaosReport(
  settings: ChaosSettings,
  runs: ExperimentResult[][],
  environment: { node: string; cpus: number },
  /** TARGET_IDS for a whole run (`npm run chaos`); none when only some experiments were asked for. */
  expectedTargets: readonly string[] = [],
): ChaosReport {
  const ids = [...new Set(runs.flat().map((r) => r.id))];
  const disagreements = ids
    .map((id) => ({ id, verdicts: runs.map((run) => run.find((r) => r.id === id)?.verdict ?? 'fail') }))
    .filter(({ verdicts }) => new Set(verdicts).size > 1);
  const allPass = runs.every((run) => run.every((r) => r.verdict === 'pass'));
  const uncovered = expectedTargets.filter(
    (target) => !runs.every((run) => run.some((r) => targetsOf(r.id).includes(target))),
  );
  return {
    generatedAt: new Date().toISOString(),
    ...environment,
    settings,
    runs: runs.map((results) => ({ results })),
    disagreements,
    verdictsMatch: disagreements.length === 0,
    uncovered,
    pass: allPass && disagreements.length === 0 && uncovered.length === 0,
  };
}
