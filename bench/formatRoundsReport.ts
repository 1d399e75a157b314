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

/** kit, plain, apollo-default, then kit/plain and kit/apollo-default where a ratio means something. */
export function formatRoundsReport(report: RoundsReport): string {
  const columns = (['kit', 'colocated', 'colocated-workers', 'plain', 'apollo-default'] as const).filter(
    (c) => report.summary[c],
  );
  const { config } = report;
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
    'peak RSS (MiB)',
    ...processes.map((p): Row => [
      `  ${p}`,
      (s) => s.peakRssMb[p] ?? 0,
      0,
      STACK_PROCESSES.includes(p as never),
    ]),
    ['cores busy, other processes (max)', (s) => s.otherCoresBusyMax, 2, false],
  ];
  const ratioColumns = [
    ...(report.summary.plain && report.summary.kit ? [['kit/plain', 'kit', 'plain'] as const] : []),
    ...(report.summary.plain && report.summary.colocated
      ? [['colocated/plain', 'colocated', 'plain'] as const]
      : []),
    ...(report.summary.plain && report.summary['colocated-workers']
      ? [['workers/plain', 'colocated-workers', 'plain'] as const]
      : []),
    ...(report.summary['apollo-default'] && report.summary.kit
      ? [['kit/apollo-default', 'kit', 'apollo-default'] as const]
      : []),
  ];
  const header = ['', ...columns, ...ratioColumns.map(([h]) => h)];
  const table = rows.map((row) => {
    if (typeof row === 'string') return [row, ...header.slice(1).map(() => '')];
    const [label, pick, digits, withRatio] = row;
    return [
      label,
      ...columns.map((c) => pick(report.summary[c]!).toFixed(digits)),
      ...ratioColumns.map(([, ours, base]) =>
        withRatio && report.summary[ours]
          ? ratio(pick(report.summary[ours]!), pick(report.summary[base]!)).toFixed(2)
          : '',
      ),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [
    `Switchyard bench ${report.date} (node ${report.node}, ${report.machine.cpus} CPUs)`,
    `order history, pageSize 20, ${config.loadLearners} learners; ${config.connections} connections; ` +
      `${config.rounds} alternating rounds of ${config.durationS} s (+${config.unloadedS} s at 1 connection) ` +
      `after ${config.warmupS} s warm-up; upstream latency ${config.upstreamLatencyMs} ms. Medians over rounds.`,
    `same data checked for ${report.checkedLearners.join(', ')}`,
    '',
    line(header),
    ...table.map(line),
    ...OUR_STACKS.flatMap((c) => failFastLines(c, report.deployments[c]?.failFast)),
    ...OUR_STACKS.flatMap((c) => [
      ...goalLines(DEPLOYMENT_NAMES[c] ?? c, report.deployments[c]?.goals),
      ...pairedLines(c, report.deployments[c]?.paired),
    ]),
    ...Object.entries(report.summary)
      .filter(([, s]) => s.otherCoresBusyMax > NOISY_CORES)
      .map(
        ([client, s]) =>
          `WARNING: other processes used up to ${s.otherCoresBusyMax.toFixed(2)} cores during ${client}'s rounds; ` +
          'its figures are disturbed, rerun on a quiet machine.',
      ),
  ].join('\n');
}
