import { cpus } from 'node:os';
import type { BenchConfig, RunResult } from './measureRun';
import { ratio } from './report';
import {
  OUR_STACKS,
  type FailFastResult,
  type RoundsConfig,
  type RoundsResult,
  type StackRounds,
} from './runRounds';
import type { SubgraphClient } from './startStack';
import { byClient, type BenchStack, type V8FlagChoice, type V8FlagSet } from './benchStacks';
import { buildEqualShapeReport, type EqualShapeReport } from './equalShapeReport';

/** The stack's own processes: what a deployment runs. The simulators stand in for the upstreams. */
export const STACK_PROCESSES = ['gateway', 'orders', 'catalog'] as const;

/** One stack's figures: medians over the rounds (peak RSS: the highest; errors: the sum). */
export interface StackSummary {
  requestsPerSec: number;
  goodRequestsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number };
  unloadedP50Ms: number;
  errors: number;
  cpuMsPerQuery: Record<string, number>;
  stackCpuMsPerQuery: number;
  peakRssMb: Record<string, number>;
  /** Peak RSS summed over the stack's processes (a cluster's too) and the largest: highest over rounds. */
  stackRssMb: { total: number; largest: number };
  /** The gateway's field-usage counter at the end of the last round (plain stacks: absent). */
  fieldUsageCounted?: number;
  legacyCallsPerQuery: number;
  discoveryCallsPerQuery: number;
  otherCoresBusyMax: number;
}

export interface Ratios {
  requestsPerSec: number;
  stackCpuMsPerQuery: number;
  unloadedP50Ms: number;
  p99: number;
}

/** The issue-12 targets against the plain stack: what the benchmark decides. */
export interface Goals {
  throughput: { target: '>= 2.0'; value: number; met: boolean };
  stackCpu: { target: '<= 0.5'; value: number; met: boolean };
  unloadedP50: { target: '<= 0.8'; value: number; met: boolean };
  zeroErrors: { value: number; met: boolean };
  failFastCpu?: { target: '<= 0.25 of a healthy page'; value: number; met: boolean };
  peakRss: { target: '<= 150 MiB per stack process'; value: number; met: boolean };
}

export interface RoundsReport {
  date: string;
  node: string;
  machine: { cpus: number; model: string; platform: string };
  config: BenchConfig &
    Omit<RoundsConfig, 'profileDir' | 'stacks' | 'headers'> & {
      loadLearners: number;
      query: string;
      /** BENCH_V8_FLAGS: the flag sets every stack ran with. */
      v8Flags: V8FlagChoice;
    };
  checkedLearners: string[];
  /** Every stack measured, with the V8 flags (NODE_OPTIONS) its own processes ran with. */
  stacksRun: BenchStack[];
  /** By stack id (the client's name for the first flag set, `<client>@none` for the second). */
  summary: Record<string, StackSummary>;
  /** Issue 25, per flag set: our deployments against the plain stack in the same shape. */
  equalShape: Partial<Record<V8FlagSet, EqualShapeReport>>;
  /** kit ÷ plain (the baseline) and kit ÷ apollo-default: above 1 better for rates, below for the rest. */
  ratios: { vsPlain?: Ratios; vsApolloDefault?: Ratios };
  /** Each of our deployments against the plain stack: goals, ratios (median and paired), fail-fast. */
  deployments: Partial<Record<SubgraphClient, Deployment>>;
  /** The kit's goals and fail-fast window, as before `deployments` (also `deployments.kit`). */
  goals?: Goals;
  failFast?: FailFastSummary;
  stacks: RoundsResult['stacks'];
}

/** One deployment with the legacy breaker open. */
export interface FailFastSummary {
  connections: number;
  p50Ms: number;
  stackCpuMsPerAnswer: number;
  /** ÷ the same deployment's healthy stack CPU per page. */
  ofHealthyPage: number;
  run: RunResult;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const stackCpu = (r: RunResult): number =>
  STACK_PROCESSES.reduce((sum, p) => sum + (r.cpuMsPerQuery[p] ?? 0), 0);

const sumRoutes = (routes: Record<string, number> | undefined) =>
  Object.values(routes ?? {}).reduce((a, b) => a + b, 0);

/** One stack's rounds reduced to its medians (peak RSS: the highest; errors: the sum). */
export function summarize({ rounds, unloaded }: StackRounds): StackSummary {
  const m = (pick: (r: RunResult) => number) => median(rounds.map(pick));
  const processes = Object.keys(rounds[0]?.cpuMsPerQuery ?? {});
  return {
    requestsPerSec: m((r) => r.requestsPerSec),
    goodRequestsPerSec: m((r) => r.goodRequestsPerSec),
    latencyMs: {
      p50: m((r) => r.load.latencyMs.p50),
      p90: m((r) => r.load.latencyMs.p90),
      p99: m((r) => r.load.latencyMs.p99),
    },
    unloadedP50Ms: median(unloaded.map((u) => u.latencyMs.p50)),
    errors:
      rounds.reduce((sum, r) => sum + r.errors, 0) +
      unloaded.reduce((s, u) => s + u.non2xx + u.graphqlErrors + u.transportErrors, 0),
    cpuMsPerQuery: Object.fromEntries(processes.map((p) => [p, m((r) => r.cpuMsPerQuery[p] ?? 0)])),
    stackCpuMsPerQuery: m(stackCpu),
    stackRssMb: {
      total: Math.max(...rounds.map((r) => r.stackRssMb.total)),
      largest: Math.max(...rounds.map((r) => r.stackRssMb.largest)),
    },
    ...(rounds.at(-1)?.fieldUsageCounted === undefined
      ? {}
      : { fieldUsageCounted: rounds.at(-1)!.fieldUsageCounted! }),
    peakRssMb: Object.fromEntries(
      Object.keys(rounds[0]?.peakRssMb ?? {}).map((p) => [
        p,
        Math.max(...rounds.map((r) => r.peakRssMb[p] ?? 0)),
      ]),
    ),
    legacyCallsPerQuery: m((r) => sumRoutes(r.upstreamCallsPerQuery['legacy-ecommerce'])),
    discoveryCallsPerQuery: m((r) => sumRoutes(r.upstreamCallsPerQuery.discovery)),
    otherCoresBusyMax: Math.max(...rounds.map((r) => r.otherCoresBusy)),
  };
}

export interface Deployment {
  goals: Goals;
  vsPlain: Ratios;
  /**
   * The same ratios taken round by round (both stacks measured minutes apart at most), then the
   * median: this box's speed drifts over a run (every stack's CPU per page moved by up to 40 % from
   * round to round), and a paired ratio cancels most of that drift. Requests/s and stack CPU only.
   */
  paired?: PairedRatios;
  failFast?: FailFastSummary;
}

export interface PairedRatios {
  requestsPerSec: number;
  stackCpuMsPerQuery: number;
  /** Each round's stack-CPU ratio, in round order. */
  stackCpuByRound: number[];
}

function pairedRatios(a: StackRounds | undefined, b: StackRounds | undefined): PairedRatios | undefined {
  if (!a || !b) return undefined;
  const rounds = Math.min(a.rounds.length, b.rounds.length);
  const pairs = Array.from({ length: rounds }, (_, i) => [a.rounds[i]!, b.rounds[i]!] as const);
  const cpu = pairs.map(([x, y]) => ratio(stackCpu(x), stackCpu(y)));
  return {
    requestsPerSec: median(pairs.map(([x, y]) => ratio(x.requestsPerSec, y.requestsPerSec))),
    stackCpuMsPerQuery: median(cpu),
    stackCpuByRound: cpu,
  };
}

function ratios(a: StackSummary, b: StackSummary): Ratios {
  return {
    requestsPerSec: ratio(a.requestsPerSec, b.requestsPerSec),
    stackCpuMsPerQuery: ratio(a.stackCpuMsPerQuery, b.stackCpuMsPerQuery),
    unloadedP50Ms: ratio(a.unloadedP50Ms, b.unloadedP50Ms),
    p99: ratio(a.latencyMs.p99, b.latencyMs.p99),
  };
}

export function buildRoundsReport(
  config: RoundsReport['config'],
  result: RoundsResult,
  stacksRun: readonly BenchStack[],
  date = new Date(),
): RoundsReport {
  const all = Object.fromEntries(
    Object.entries(result.stacks).map(([id, rounds]) => [id, summarize(rounds)]),
  ) as RoundsReport['summary'];
  const flagSets = [...new Set(stacksRun.map((s) => s.v8Flags))];
  // Issue 12's figures, as before: the first flag set's stacks, by client.
  const summary = byClient(all, stacksRun, flagSets[0] ?? 'ours');
  const stackRounds = byClient(result.stacks, stacksRun, flagSets[0] ?? 'ours');
  const { kit, plain } = summary;
  const apolloDefault = summary['apollo-default'];
  const failFastOf = (run: FailFastResult | undefined, healthy: StackSummary | undefined) =>
    run && healthy
      ? {
          connections: run.connections,
          p50Ms: run.run.load.latencyMs.p50,
          stackCpuMsPerAnswer: stackCpu(run.run),
          ofHealthyPage: ratio(stackCpu(run.run), healthy.stackCpuMsPerQuery),
          run: run.run,
        }
      : undefined;
  const deployments: RoundsReport['deployments'] = {};
  for (const client of OUR_STACKS) {
    const ours = summary[client];
    if (!ours || !plain) continue;
    const vsPlain = ratios(ours, plain);
    const failFast = failFastOf(result.failFast[client], ours);
    const paired = pairedRatios(stackRounds[client], stackRounds.plain);
    deployments[client] = {
      goals: goalsOf(ours, vsPlain, failFast),
      vsPlain,
      ...(paired ? { paired } : {}),
      ...(failFast ? { failFast } : {}),
    };
  }
  const kitDeployment = deployments.kit;
  return {
    date: date.toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', platform: process.platform },
    config,
    checkedLearners: result.checkedLearners,
    stacksRun: [...stacksRun],
    summary: all,
    equalShape: Object.fromEntries(
      flagSets.map((set) => [
        set,
        buildEqualShapeReport(
          byClient(all, stacksRun, set),
          byClient(result.stacks, stacksRun, set),
          config.loadLearners,
        ),
      ]),
    ),
    deployments,
    ratios: {
      ...(kitDeployment ? { vsPlain: kitDeployment.vsPlain } : {}),
      ...(kit && apolloDefault ? { vsApolloDefault: ratios(kit, apolloDefault) } : {}),
    },
    // The kit's goals where reports before `deployments` had them.
    ...(kitDeployment ? { goals: kitDeployment.goals } : {}),
    ...(kitDeployment?.failFast ? { failFast: kitDeployment.failFast } : {}),
    stacks: result.stacks,
  };
}

/** The issue-12 goals for one of our deployments, from its ratios to the plain stack. */
function goalsOf(stack: StackSummary, vsPlain: Ratios, failFast: RoundsReport['failFast']): Goals {
  const rss = Math.max(...STACK_PROCESSES.map((p) => stack.peakRssMb[p] ?? 0));
  return {
    throughput: { target: '>= 2.0', value: vsPlain.requestsPerSec, met: vsPlain.requestsPerSec >= 2 },
    stackCpu: { target: '<= 0.5', value: vsPlain.stackCpuMsPerQuery, met: vsPlain.stackCpuMsPerQuery <= 0.5 },
    unloadedP50: { target: '<= 0.8', value: vsPlain.unloadedP50Ms, met: vsPlain.unloadedP50Ms <= 0.8 },
    zeroErrors: { value: stack.errors, met: stack.errors === 0 },
    ...(failFast
      ? {
          failFastCpu: {
            target: '<= 0.25 of a healthy page' as const,
            value: failFast.ofHealthyPage,
            met: failFast.ofHealthyPage <= 0.25,
          },
        }
      : {}),
    peakRss: { target: '<= 150 MiB per stack process', value: rss, met: rss <= 150 },
  };
}
