import { cpus } from 'node:os';
import type { BenchConfig, RunResult } from './measureRun';

/** Primary p99 with a hanging shadow over p99 without one: the budget the shadow layer must stay in. */
export const SHADOW_P99_TARGET = 1.1;

export interface ShadowBenchReport {
  date: string;
  node: string;
  machine: { cpus: number; model: string; platform: string };
  config: BenchConfig & { learners: number; query: string; ordersEnv: NodeJS.ProcessEnv };
  /** [shadow off, shadow on with the vendor hanging], same client (kit), fresh stack each. */
  runs: [RunResult, RunResult];
  /** on ÷ off: below 1 is better for the latencies, above 1 for the rates. */
  ratios: { p99: number; goodP99: number; requestsPerSec: number };
  target: { p99: number; met: boolean };
}

export function buildShadowReport(
  config: ShadowBenchReport['config'],
  off: RunResult,
  on: RunResult,
  date = new Date(),
): ShadowBenchReport {
  const p99 = ratio(on.load.latencyMs.p99, off.load.latencyMs.p99);
  return {
    date: date.toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', platform: process.platform },
    config,
    runs: [off, on],
    ratios: {
      p99,
      goodP99: ratio(on.load.goodLatencyMs.p99, off.load.goodLatencyMs.p99),
      requestsPerSec: ratio(on.requestsPerSec, off.requestsPerSec),
    },
    target: { p99: SHADOW_P99_TARGET, met: p99 <= SHADOW_P99_TARGET },
  };
}

type Row = [label: string, pick: (r: RunResult) => number, digits: number];

/** The primary's latency with and without the shadow, and proof the shadow ran (its reads by outcome). */
export function formatShadowReport(report: ShadowBenchReport): string {
  const [off, on] = report.runs;
  const { config } = report;
  const outcomes = [...new Set([...Object.keys(off.shadowReads), ...Object.keys(on.shadowReads)])].sort();
  const vendorCalls = (r: RunResult) =>
    Object.values(r.upstreamCallsPerQuery['vendor-commerce'] ?? {}).reduce((a, b) => a + b, 0);
  const rows: Row[] = [
    ['requests/s', (r) => r.requestsPerSec, 1],
    ['latency p50 (ms)', (r) => r.load.latencyMs.p50, 1],
    ['latency p90 (ms)', (r) => r.load.latencyMs.p90, 1],
    ['latency p99 (ms)', (r) => r.load.latencyMs.p99, 1],
    ['good-only latency p99 (ms)', (r) => r.load.goodLatencyMs.p99, 1],
    ['errors', (r) => r.errors, 0],
    ['vendor calls per query', vendorCalls, 3],
    ['orders CPU ms per query', (r) => r.cpuMsPerQuery.orders ?? 0, 2],
    ['cores busy (other processes)', (r) => r.otherCoresBusy, 2],
    ...outcomes.map((o): Row => [`shadow reads: ${o}`, (r) => r.shadowReads[o] ?? 0, 0]),
  ];
  const header = ['', 'shadow off', 'shadow on, vendor hanging', 'on/off'];
  const table = rows.map(([label, pick, digits]) => {
    const [a, b] = [pick(off), pick(on)];
    // No ratio against zero (errors, vendor calls with the shadow off): a dash, not NaN.
    return [label, a.toFixed(digits), b.toFixed(digits), a === 0 ? '—' : ratio(b, a).toFixed(2)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  const { p99, met } = { p99: report.ratios.p99, met: report.target.met };
  return [
    `Switchyard shadow bench ${report.date} (node ${report.node}, ${report.machine.cpus} CPUs)`,
    `order history, pageSize 20, ${config.learners} learners; ${config.connections} connections, ` +
      `${config.durationS} s measured after ${config.warmupS} s warm-up; upstream latency ${config.upstreamLatencyMs} ms`,
    `shadow on: ${Object.entries(config.ordersEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}, vendor simulator {"hang": true}`,
    '',
    line(header),
    ...table.map(line),
    '',
    `primary p99 with a hanging shadow ×${p99.toFixed(2)} of without (target ≤ ${SHADOW_P99_TARGET.toFixed(2)}): ` +
      (met ? 'met' : 'NOT MET — rerun on a quiet machine before reading anything into it'),
  ].join('\n');
}

function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}
