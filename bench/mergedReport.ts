import { cpus } from 'node:os';
import type { BenchConfig, RunResult } from './measureRun';
import { ORDER_HISTORY_PAGE_SIZE } from './orderHistoryQuery';

/**
 * The merged history's read bound (docs/resilience.md): for page N of size S each sorted source is
 * asked for its newest N × S orders. The legacy API is one sorted source (one call) asked for one more,
 * because it promises no order among orders placed at the same instant (more only when such a tie
 * straddles the cut; the seed has none there); the vendor adapter reads two sorted streams (orders with
 * and without `completedAt`), each in answers of at most 500. A page after the first reads every
 * system's first page (S, legacy S + 1) before the deep read, so a page past the end costs no more than
 * page 1: the bound for N > 1 is that first read plus the deep one.
 */
export interface MergedBound {
  page: number;
  /** N × S: the most orders any one sorted source may be asked for. */
  perSource: number;
  checks: { name: string; value: number; limit: number; met: boolean }[];
}

export interface MergedBenchReport {
  date: string;
  node: string;
  machine: { cpus: number; model: string; platform: string };
  config: BenchConfig & { learners: number; query: string; ordersEnv: NodeJS.ProcessEnv };
  /** One run per page measured, ORDERS_BACKEND=merged, fresh stack each. */
  runs: RunResult[];
  bounds: MergedBound[];
  met: boolean;
}

const VENDOR_STREAMS = 2;
const VENDOR_MAX_LIMIT = 500;

export function mergedBound(run: RunResult, page: number): MergedBound {
  const perSource = page * ORDER_HISTORY_PAGE_SIZE;
  const legacy = (m: Record<string, Record<string, number>>) => m['legacy-ecommerce']?.['orders.list'] ?? 0;
  const vendor = (m: Record<string, Record<string, number>>) => m['vendor-commerce']?.['orders.query'] ?? 0;
  const check = (name: string, value: number, limit: number) => ({ name, value, limit, met: value <= limit });
  // Calls per query are averages over a window that cuts requests in flight at both ends (≤ 1 per
  // connection), so they get a little slack; the row bounds hold per answer and need none.
  const slack = 1.05;
  // Pages after the first: the first page's read (which brings the totals), then the deep one.
  const firstRead = page === 1 ? 0 : ORDER_HISTORY_PAGE_SIZE;
  const reads = page === 1 ? 1 : 2;
  return {
    page,
    perSource,
    checks: [
      check(
        'legacy orders read per query',
        legacy(run.upstreamRowsPerQuery),
        (perSource + 1 + (firstRead && firstRead + 1)) * slack,
      ),
      check('legacy most orders in one answer', legacy(run.upstreamMaxRows), perSource + 1),
      check('legacy calls per query', legacy(run.upstreamCallsPerQuery), reads * slack),
      check(
        'vendor orders read per query',
        vendor(run.upstreamRowsPerQuery),
        VENDOR_STREAMS * (perSource + firstRead) * slack,
      ),
      check(
        'vendor most orders in one answer',
        vendor(run.upstreamMaxRows),
        Math.min(VENDOR_MAX_LIMIT, perSource),
      ),
      check(
        'vendor order queries per query',
        vendor(run.upstreamCallsPerQuery),
        VENDOR_STREAMS *
          (Math.ceil(perSource / VENDOR_MAX_LIMIT) + (firstRead && Math.ceil(firstRead / VENDOR_MAX_LIMIT))) *
          slack,
      ),
    ],
  };
}

export function buildMergedReport(
  config: MergedBenchReport['config'],
  runs: { page: number; run: RunResult }[],
  date = new Date(),
): MergedBenchReport {
  const bounds = runs.map(({ page, run }) => mergedBound(run, page));
  return {
    date: date.toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', platform: process.platform },
    config,
    runs: runs.map(({ run }) => run),
    bounds,
    met: bounds.every((b) => b.checks.every((c) => c.met)),
  };
}

/** Per page: throughput, latency, errors, then every bound check with its figure and limit. */
export function formatMergedReport(report: MergedBenchReport): string {
  const { config } = report;
  const header = ['', ...report.bounds.map((b) => `page ${b.page}`)];
  const num = (n: number, digits: number) => n.toFixed(digits);
  const rows: string[][] = [
    ['requests/s', ...report.runs.map((r) => num(r.requestsPerSec, 1))],
    ['latency p50 (ms)', ...report.runs.map((r) => num(r.load.latencyMs.p50, 1))],
    ['latency p99 (ms)', ...report.runs.map((r) => num(r.load.latencyMs.p99, 1))],
    ['errors', ...report.runs.map((r) => num(r.errors, 0))],
    ['bound per sorted source (N × S)', ...report.bounds.map((b) => num(b.perSource, 0))],
    ...(report.bounds[0]?.checks ?? []).map((_, i) => [
      report.bounds[0]!.checks[i]!.name,
      ...report.bounds.map((b) => {
        const c = b.checks[i]!;
        return `${num(c.value, 2)} (<= ${num(c.limit, 2)})${c.met ? '' : ' !'}`;
      }),
    ]),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [
    `Switchyard merged-history bench ${report.date} (node ${report.node}, ${report.machine.cpus} CPUs)`,
    `ORDERS_BACKEND=merged, pageSize ${ORDER_HISTORY_PAGE_SIZE}, ${config.learners} learners; ` +
      `${config.connections} connections, ${config.durationS} s measured after ${config.warmupS} s warm-up; ` +
      `upstream latency ${config.upstreamLatencyMs} ms`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `read bound (each sorted source asked for N × S orders, legacy N × S + 1): ${report.met ? 'met' : 'NOT MET'}`,
  ].join('\n');
}
