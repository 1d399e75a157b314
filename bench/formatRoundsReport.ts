import { ratio } from './report';
import {
  STACK_PROCESSES,
  type FailFastSummary,
  type Goals,
  type PairedRatios,
  type RoundsReport,
  type StackSummary,
} from './roundsReport';
import { OUR_STACKS } from './runRounds';
import type { SubgraphClient } from './startStack';
import { byClient, type V8FlagSet } from './benchStacks';
import { formatEqualShape } from './formatEqualShape';

/** Above this many cores used by other processes, a stack's figures are flagged as disturbed. */
const NOISY_CORES = 0.2;

const DEPLOYMENT_NAMES: Partial<Record<SubgraphClient, string>> = {
  kit: 'kit (separate processes)',
  colocated: 'colocated (one process)',
  'colocated-workers': 'colocated-workers (one process per core, node:cluster)',
};

function failFastLines(name: string, failFast: FailFastSummary | undefined): string[] {
  if (!failFast) return [];
  return [
    '',
    `${name}, legacy breaker open, ${failFast.connections} connections: p50 ${failFast.p50Ms.toFixed(1)} ms, ` +
      `${failFast.stackCpuMsPerAnswer.toFixed(2)} stack CPU ms per answer = ` +
      `${failFast.ofHealthyPage.toFixed(2)}× a healthy page`,
  ];
}

function pairedLines(name: string, paired: PairedRatios | undefined): string[] {
  if (!paired) return [];
  return [
    `  paired round by round (median): requests/s ×${paired.requestsPerSec.toFixed(2)}, ` +
      `stack CPU ×${paired.stackCpuMsPerQuery.toFixed(2)} ` +
      `(rounds: ${paired.stackCpuByRound.map((r) => r.toFixed(2)).join(', ')}; ${name} ÷ plain)`,
  ];
}

function goalLines(name: string, goals: Goals | undefined): string[] {
  if (!goals) return [];
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  return [
    '',
    `issue 12 goals, ${name} vs plain:`,
    `  throughput ×${goals.throughput.value.toFixed(2)} (>= 2.0): ${verdict(goals.throughput.met)}`,
    `  stack CPU per query ×${goals.stackCpu.value.toFixed(2)} (<= 0.5): ${verdict(goals.stackCpu.met)}`,
    `  unloaded p50 ×${goals.unloadedP50.value.toFixed(2)} (<= 0.8): ${verdict(goals.unloadedP50.met)}`,
    `  errors ${goals.zeroErrors.value} (0): ${verdict(goals.zeroErrors.met)}`,
    ...(goals.failFastCpu
      ? [
          `  fail-fast CPU ×${goals.failFastCpu.value.toFixed(2)} of a page (<= 0.25): ${verdict(goals.failFastCpu.met)}`,
        ]
      : []),
    `  peak RSS ${goals.peakRss.value.toFixed(0)} MiB (<= 150 per process): ${verdict(goals.peakRss.met)}`,
  ];
}

type Row = [label: string, pick: (s: StackSummary) => number, digits: number, withRatio: boolean];

const COLUMN_ORDER = [
  'kit',
  'colocated',
  'colocated-workers',
  'plain',
  'plain-colocated',
  'apollo-default',
  'hive',
] as const satisfies readonly SubgraphClient[];

/** Ratio columns: [heading, ours, baseline], shown when both stacks ran. */
const RATIO_COLUMNS = [
  ['kit/plain', 'kit', 'plain'],
  ['colocated/plain', 'colocated', 'plain'],
  ['workers/plain', 'colocated-workers', 'plain'],
  ['workers/plain-col', 'colocated-workers', 'plain-colocated'],
  ['kit/apollo-default', 'kit', 'apollo-default'],
  ['workers/hive', 'colocated-workers', 'hive'],
] as const satisfies readonly (readonly [string, SubgraphClient, SubgraphClient])[];

/** ours ÷ base, or a dash where there is no ratio (both co-located stacks have no `orders` process). */
export function ratioCell(ours: number, base: number): string {
  const r = ratio(ours, base);
  return Number.isFinite(r) ? r.toFixed(2) : '—';
}

/** One flag set's stacks, by client: the figures, then ours ÷ the baselines where a ratio means something. */
export function formatStacksTable(summary: Partial<Record<SubgraphClient, StackSummary>>): string[] {
  const columns = COLUMN_ORDER.filter((c) => summary[c]);
  const processes = [...STACK_PROCESSES, 'simulators', 'load'];
  const rows: (Row | string)[] = [
    ['requests/s', (s) => s.requestsPerSec, 1, true],
    ['good requests/s', (s) => s.goodRequestsPerSec, 1, true],
    ['latency p50 (ms)', (s) => s.latencyMs.p50, 1, true],
    ['latency p99 (ms)', (s) => s.latencyMs.p99, 1, true],
    ['unloaded p50, 1 connection (ms)', (s) => s.unloadedP50Ms, 1, true],
    ['errors (all rounds)', (s) => s.errors, 0, false],
    ['legacy calls per query', (s) => s.legacyCallsPerQuery, 2, false],
    ['discovery calls per query', (s) => s.discoveryCallsPerQuery, 2, false],
    'CPU ms per query',
    ...processes.map((p): Row => [
      `  ${p}`,
      (s) => s.cpuMsPerQuery[p] ?? 0,
      2,
      STACK_PROCESSES.includes(p as never),
    ]),
    ['  stack (gateway+orders+catalog)', (s) => s.stackCpuMsPerQuery, 2, true],
    'peak RSS (MiB; a cluster: its largest process)',
    ...processes.map((p): Row => [
      `  ${p}`,
      (s) => s.peakRssMb[p] ?? 0,
      0,
      STACK_PROCESSES.includes(p as never),
    ]),
    ['  deployment (sum of its processes)', (s) => s.stackRssMb.total, 0, true],
    ['  largest process of the deployment', (s) => s.stackRssMb.largest, 0, true],
    ['cores busy, other processes (max)', (s) => s.otherCoresBusyMax, 2, false],
  ];
  const ratioColumns = RATIO_COLUMNS.filter(([, ours, base]) => summary[ours] && summary[base]);
  const header = ['', ...columns, ...ratioColumns.map(([h]) => h)];
  const table = rows.map((row) => {
    if (typeof row === 'string') return [row, ...header.slice(1).map(() => '')];
    const [label, pick, digits, withRatio] = row;
    return [
      label,
      ...columns.map((c) => pick(summary[c]!).toFixed(digits)),
      ...ratioColumns.map(([, ours, base]) =>
        withRatio ? ratioCell(pick(summary[ours]!), pick(summary[base]!)) : '',
      ),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [line(header), ...table.map(line)];
}

/** The flags a flag set gave every stack's own processes (simulators and load: Node's defaults). */
function flagsLine(report: RoundsReport, set: V8FlagSet): string {
  const options = report.stacksRun.find((s) => s.v8Flags === set)?.nodeOptions ?? '';
  return (
    `V8 flags (${set}): ${options === '' ? "Node's defaults" : `NODE_OPTIONS=${options}`} for every stack's ` +
    "processes; the simulators and the load generator with Node's defaults"
  );
}

/** Per flag set a table of every stack, then issue 12's goals and issue 25's equal-shape comparison. */
export function formatRoundsReport(report: RoundsReport): string {
  const { config } = report;
  const flagSets = [...new Set(report.stacksRun.map((s) => s.v8Flags))];
  const tables = flagSets.flatMap((set) => [
    '',
    flagsLine(report, set),
    ...formatStacksTable(byClient(report.summary, report.stacksRun, set)),
  ]);
  return [
    `Switchyard bench ${report.date} (node ${report.node}, ${report.machine.cpus} CPUs)`,
    `order history, pageSize 20, ${config.loadLearners} learners; ${config.connections} connections; ` +
      `${config.rounds} alternating rounds of ${config.durationS} s (+${config.unloadedS} s at 1 connection) ` +
      `after ${config.warmupS} s warm-up; upstream latency ${config.upstreamLatencyMs} ms. Medians over rounds.`,
    `same data checked for ${report.checkedLearners.join(', ')}`,
    ...tables,
    ...OUR_STACKS.flatMap((c) => failFastLines(c, report.deployments[c]?.failFast)),
    ...OUR_STACKS.flatMap((c) => [
      ...goalLines(DEPLOYMENT_NAMES[c] ?? c, report.deployments[c]?.goals),
      ...pairedLines(c, report.deployments[c]?.paired),
    ]),
    ...flagSets.flatMap((set) => {
      const equal = report.equalShape[set];
      return equal ? ['', ...formatEqualShape(equal, flagsLine(report, set))] : [];
    }),
    ...Object.entries(report.summary)
      .filter(([, s]) => s.otherCoresBusyMax > NOISY_CORES)
      .map(
        ([client, s]) =>
          `WARNING: other processes used up to ${s.otherCoresBusyMax.toFixed(2)} cores during ${client}'s rounds; ` +
          'its figures are disturbed, rerun on a quiet machine.',
      ),
  ].join('\n');
}
