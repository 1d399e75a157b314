import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import type { BenchConfig, RunResult } from './measureRun';

export interface BenchReport {
  date: string;
  node: string;
  machine: { cpus: number; model: string; platform: string };
  config: BenchConfig & { learners: number; query: string };
  runs: RunResult[];
  /**
   * kit ÷ apollo-default: above 1 is better for the rates, below 1 for the latencies. The `good*`
   * pair leaves out failed responses, which are cheap and fast and would flatter a client that sheds.
   */
  ratios: { requestsPerSec: number; p99: number; goodRequestsPerSec: number; goodP99: number };
}

export function buildReport(
  config: BenchReport['config'],
  kit: RunResult,
  baseline: RunResult,
  date = new Date(),
): BenchReport {
  return {
    date: date.toISOString(),
    node: process.version,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      platform: process.platform,
    },
    config,
    runs: [kit, baseline],
    ratios: {
      requestsPerSec: ratio(kit.requestsPerSec, baseline.requestsPerSec),
      p99: ratio(kit.load.latencyMs.p99, baseline.load.latencyMs.p99),
      goodRequestsPerSec: ratio(kit.goodRequestsPerSec, baseline.goodRequestsPerSec),
      goodP99: ratio(kit.load.goodLatencyMs.p99, baseline.load.goodLatencyMs.p99),
    },
  };
}

/** Written to a temp file and renamed, so an interrupted run never leaves half a JSON behind. */
export function writeReport(path: string, report: object): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

type Row = [label: string, pick: (r: RunResult) => number, digits: number, withRatio: boolean];

const PROCESSES = ['gateway', 'orders', 'catalog', 'simulators'];
/** Neighbours' CPU above which a run is flagged: a fifth of a core moves results by several percent. */
const NOISY_CORES = 0.2;

/** A plain fixed-width table: kit, baseline, and kit/baseline where a ratio means something. */
export function formatReport(report: BenchReport): string {
  const [kit, baseline] = report.runs as [RunResult, RunResult];
  const { config } = report;
  // Union over both runs: a route only one client calls is exactly what this table should show.
  const routes = new Map<string, [string, string]>();
  for (const run of [kit, baseline]) {
    for (const [up, byRoute] of Object.entries(run.upstreamCallsPerQuery)) {
      for (const rt of Object.keys(byRoute)) routes.set(`${up} ${rt}`, [up, rt]);
    }
  }
  const stackCpu = (r: RunResult) => PROCESSES.reduce((sum, p) => sum + (r.cpuMsPerQuery[p] ?? 0), 0);
  const rows: (Row | string)[] = [
    ['requests/s', (r) => r.requestsPerSec, 1, true],
    ['latency p50 (ms)', (r) => r.load.latencyMs.p50, 1, true],
    ['latency p90 (ms)', (r) => r.load.latencyMs.p90, 1, true],
    ['latency p99 (ms)', (r) => r.load.latencyMs.p99, 1, true],
    ['good requests/s', (r) => r.goodRequestsPerSec, 1, true],
    ['good-only latency p99 (ms)', (r) => r.load.goodLatencyMs.p99, 1, true],
    ['completed requests', (r) => r.load.completed, 0, false],
    ['errors', (r) => r.errors, 0, false],
    ['  non-2xx', (r) => r.load.non2xx, 0, false],
    ['  GraphQL errors', (r) => r.load.graphqlErrors, 0, false],
    ['  transport (incl. timeouts)', (r) => r.load.transportErrors, 0, false],
    'upstream calls per query',
    ...[...routes.values()].map(([up, rt]): Row => [
      `  ${up} ${rt}`,
      (r) => r.upstreamCallsPerQuery[up]?.[rt] ?? 0,
      2,
      false,
    ]),
    'CPU ms per query',
    ...PROCESSES.map((p): Row => [`  ${p}`, (r) => r.cpuMsPerQuery[p] ?? 0, 2, true]),
    ['  stack total', stackCpu, 2, true],
    ['  load generator', (r) => r.cpuMsPerQuery.load ?? 0, 2, false],
    ['cores busy (bench processes)', (r) => r.coresBusy, 2, false],
    ['cores busy (other processes)', (r) => r.otherCoresBusy, 2, false],
    'peak RSS (MiB)',
    ...[...PROCESSES, 'load'].map((p): Row => [`  ${p}`, (r) => r.peakRssMb[p] ?? 0, 0, p === 'gateway']),
  ];
  const header = ['', 'kit', 'apollo-default', 'kit/baseline'];
  const table = rows.map((row) => {
    if (typeof row === 'string') return [row, '', '', ''];
    const [label, pick, digits, withRatio] = row;
    const a = pick(kit);
    const b = pick(baseline);
    return [label, a.toFixed(digits), b.toFixed(digits), withRatio ? ratio(a, b).toFixed(2) : ''];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [
    `Switchyard bench ${report.date} (node ${report.node}, ${report.machine.cpus} CPUs)`,
    `order history, pageSize 20, ${config.learners} learners; ${config.connections} connections, ` +
      `${config.durationS} s measured after ${config.warmupS} s warm-up; upstream latency ${config.upstreamLatencyMs} ms`,
    '',
    line(header),
    ...table.map(line),
    '',
    `kit/baseline: requests/s ×${report.ratios.requestsPerSec.toFixed(2)} (higher is better), ` +
      `p99 ×${report.ratios.p99.toFixed(2)} (lower is better)`,
    ...report.runs
      .filter((r) => r.errors > 0)
      .map(
        (r) =>
          `WARNING: ${r.client} answered ${r.errors} of ${r.load.completed} requests with errors ` +
          `(${((100 * r.errors) / Math.max(1, r.load.completed)).toFixed(1)}%); compare the "good" rows.`,
      ),
    ...report.runs
      .filter((r) => r.otherCoresBusy > NOISY_CORES)
      .map(
        (r) =>
          `WARNING: other processes used ${r.otherCoresBusy.toFixed(2)} cores during the ${r.client} run; ` +
          'its figures are disturbed, rerun on a quiet machine.',
      ),
  ].join('\n');
}

function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}
