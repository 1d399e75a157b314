import { ratio } from './report';
import type { RunResult } from './measureRun';
import type { StackRounds } from './runRounds';
import type { SubgraphClient } from './startStack';

/**
 * Issue 25's comparison: each of our deployments against the plain stack in the same shape, with the
 * same V8 flags, in the same run. Pure: figures in, ratios and verdicts out (tested in
 * test/unit/bench/equalShapeReport.test.ts).
 */

/** What this module reads of a stack's summary (roundsReport's StackSummary has these and more). */
export interface ShapeFigures {
  requestsPerSec: number;
  stackCpuMsPerQuery: number;
  unloadedP50Ms: number;
  errors: number;
  legacyCallsPerQuery: number;
  stackRssMb: { total: number; largest: number };
}

export type Figure =
  | 'requests/s'
  | 'stack CPU per page'
  | 'unloaded p50'
  | 'memory, deployment'
  | 'errors'
  | 'learners in the load'
  | 'legacy calls per page';

/** One goal: `value` against `bound` (a ratio, or a count for errors), and whether it is met. */
export interface Goal {
  figure: Figure;
  op: '>=' | '<=';
  bound: number;
  value: number;
  met: boolean;
}

export interface Comparison {
  ours: SubgraphClient;
  base: SubgraphClient;
  /** Ratios of the medians over rounds (ours ÷ base): above 1 better for requests/s, below for the rest. */
  ratios: {
    requestsPerSec: number;
    stackCpuMsPerQuery: number;
    unloadedP50Ms: number;
    deploymentRssMb: number;
    largestRssMb: number;
  };
  /** Peak RSS of each deployment in MiB: the sum of its processes and its largest one. */
  memoryMb: Record<'ours' | 'base', { total: number; largest: number }>;
  /** The same two stacks round by round (measured minutes apart at most), and the medians. */
  paired: {
    requestsPerSec: number;
    stackCpuMsPerQuery: number;
    requestsPerSecByRound: number[];
    stackCpuByRound: number[];
  };
  /** The goals for this pair (none for today's headline pair, shown for reference). */
  goals: Goal[];
}

export interface EqualShapeReport {
  /** co-located with workers ÷ plain co-located: the equal-shape pair. */
  colocated?: Comparison;
  /** co-located with workers ÷ plain in separate processes: today's headline, beside it. */
  headline?: Comparison;
  /** separate processes (kit) ÷ plain in separate processes. */
  separate?: Comparison;
  /**
   * co-located with workers ÷ Hive Gateway over the plain subgraphs (the `hive` stack), requests/s
   * paired; not measured when BENCH_STACKS leaves either out.
   */
  hive: HiveComparison;
  /** The workload's own conditions: a result that breaks them proves nothing. */
  workload: {
    learners: Goal;
    /** The lowest legacy calls per page over every stack: ≥ 1 shows no cache answered a page. */
    legacyCallsPerPage: Goal & { lowestStack: string };
  };
}

export type HiveComparison =
  | { op: '>='; bound: number; measured: false; why: string }
  | { op: '>='; bound: number; measured: true; comparison: Comparison; goal: Goal };

export const EQUAL_SHAPE_TARGETS = {
  colocated: { requestsPerSec: 1.5, stackCpu: 0.6, unloadedP50: 0.8, deploymentRss: 1.0 },
  separate: { requestsPerSec: 1.5, stackCpu: 0.6 },
  hive: 2.5,
  learners: 500,
  legacyCallsPerPage: 1,
} as const;

/** A goal's verdict; a ratio that could not be taken (NaN: a zero baseline) is never met. */
export function goal(figure: Figure, op: Goal['op'], bound: number, value: number): Goal {
  const met = Number.isFinite(value) && (op === '>=' ? value >= bound : value <= bound);
  return { figure, op, bound, value, met };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0
    ? Number.NaN
    : sorted.length % 2
      ? sorted[mid]!
      : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Ratios round by round over the rounds both stacks ran, in round order. */
export function pairedByRound(
  ours: readonly RunResult[],
  base: readonly RunResult[],
  pick: (run: RunResult) => number,
): number[] {
  const rounds = Math.min(ours.length, base.length);
  return Array.from({ length: rounds }, (_, i) => ratio(pick(ours[i]!), pick(base[i]!)));
}

const stackCpuOf = (run: RunResult) =>
  ['gateway', 'orders', 'catalog'].reduce((sum, p) => sum + (run.cpuMsPerQuery[p] ?? 0), 0);

/** ours ÷ base: medians, paired rounds, and the goals decided on the paired figures (they cancel drift). */
export function compare(
  ours: SubgraphClient,
  base: SubgraphClient,
  figures: Readonly<Record<'ours' | 'base', ShapeFigures>>,
  rounds: Readonly<Record<'ours' | 'base', StackRounds>>,
  goals: (c: Omit<Comparison, 'goals'>) => Goal[] = () => [],
): Comparison {
  const a = figures.ours;
  const b = figures.base;
  const rps = pairedByRound(rounds.ours.rounds, rounds.base.rounds, (r) => r.requestsPerSec);
  const cpu = pairedByRound(rounds.ours.rounds, rounds.base.rounds, stackCpuOf);
  const comparison = {
    ours,
    base,
    ratios: {
      requestsPerSec: ratio(a.requestsPerSec, b.requestsPerSec),
      stackCpuMsPerQuery: ratio(a.stackCpuMsPerQuery, b.stackCpuMsPerQuery),
      unloadedP50Ms: ratio(a.unloadedP50Ms, b.unloadedP50Ms),
      deploymentRssMb: ratio(a.stackRssMb.total, b.stackRssMb.total),
      largestRssMb: ratio(a.stackRssMb.largest, b.stackRssMb.largest),
    },
    memoryMb: { ours: { ...a.stackRssMb }, base: { ...b.stackRssMb } },
    paired: {
      requestsPerSec: median(rps),
      stackCpuMsPerQuery: median(cpu),
      requestsPerSecByRound: rps,
      stackCpuByRound: cpu,
    },
  };
  return { ...comparison, goals: goals(comparison) };
}

const HIVE_WHY = 'BENCH_STACKS left colocated-workers or hive out';

/**
 * The equal-shape report of one flag set's stacks, by client. A pair is compared only when both of
 * its stacks ran (BENCH_STACKS may leave some out).
 */
export function buildEqualShapeReport(
  summary: Readonly<Partial<Record<SubgraphClient, ShapeFigures>>>,
  rounds: Readonly<Partial<Record<SubgraphClient, StackRounds>>>,
  loadLearners: number,
): EqualShapeReport {
  const T = EQUAL_SHAPE_TARGETS;
  const pair = (
    ours: SubgraphClient,
    base: SubgraphClient,
    goals?: (c: Omit<Comparison, 'goals'>) => Goal[],
  ) => {
    const a = summary[ours];
    const b = summary[base];
    const ra = rounds[ours];
    const rb = rounds[base];
    return a && b && ra && rb
      ? compare(ours, base, { ours: a, base: b }, { ours: ra, base: rb }, goals)
      : undefined;
  };
  const colocated = pair('colocated-workers', 'plain-colocated', (c) => [
    goal('requests/s', '>=', T.colocated.requestsPerSec, c.paired.requestsPerSec),
    goal('stack CPU per page', '<=', T.colocated.stackCpu, c.paired.stackCpuMsPerQuery),
    goal('unloaded p50', '<=', T.colocated.unloadedP50, c.ratios.unloadedP50Ms),
    goal('memory, deployment', '<=', T.colocated.deploymentRss, c.ratios.deploymentRssMb),
    goal('errors', '<=', 0, summary['colocated-workers']!.errors),
  ]);
  const separate = pair('kit', 'plain', (c) => [
    goal('requests/s', '>=', T.separate.requestsPerSec, c.paired.requestsPerSec),
    goal('stack CPU per page', '<=', T.separate.stackCpu, c.paired.stackCpuMsPerQuery),
  ]);
  const headline = pair('colocated-workers', 'plain');
  const hive = pair('colocated-workers', 'hive', (c) => [
    goal('requests/s', '>=', T.hive, c.paired.requestsPerSec),
  ]);
  const legacy = Object.entries(summary)
    .map(([client, s]) => [client, s.legacyCallsPerQuery] as const)
    .sort((x, y) => x[1] - y[1])[0] ?? ['none', Number.NaN];
  return {
    ...(colocated ? { colocated } : {}),
    ...(headline ? { headline } : {}),
    ...(separate ? { separate } : {}),
    hive: hive
      ? { op: '>=', bound: T.hive, measured: true, comparison: hive, goal: hive.goals[0]! }
      : { op: '>=', bound: T.hive, measured: false, why: HIVE_WHY },
    workload: {
      learners: goal('learners in the load', '>=', T.learners, loadLearners),
      legacyCallsPerPage: {
        ...goal('legacy calls per page', '>=', T.legacyCallsPerPage, legacy[1]),
        lowestStack: legacy[0],
      },
    },
  };
}
