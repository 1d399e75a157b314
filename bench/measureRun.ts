import { ORDER_HISTORY_BODY, orderHistoryBody } from './orderHistoryQuery';
import { cpuTimeMs, machineBusyMs, peakRssMb, sampleCpu } from './processStats';
import { startLoadWorker, type LoadJob, type LoadResult } from './startLoadWorker';
import { startStack, type Stack, type SubgraphClient } from './startStack';

export interface BenchConfig {
  connections: number;
  durationS: number;
  warmupS: number;
  upstreamLatencyMs: number;
}

/** A variation of the stack measured in one run (the shadow pair); the default changes nothing. */
export interface RunVariant {
  /** Names the run in logs and reports, e.g. `shadow-on`. @default the subgraph client */
  label?: string;
  /** Added to the orders subgraph's environment only. */
  ordersEnv?: NodeJS.ProcessEnv;
  /** Set on the vendor simulator before the smoke test, e.g. `{ hang: true }`. */
  vendorFaults?: Record<string, unknown>;
  /** The order-history page every request asks for. @default 1 */
  page?: number;
}

export interface RunResult {
  client: SubgraphClient;
  /** RunVariant.label, when the run had one. */
  variant?: string;
  load: LoadResult;
  requestsPerSec: number;
  /** Good responses per second (see LoadResult.good). */
  goodRequestsPerSec: number;
  errors: number;
  /** Upstream name → route → calls per completed query. */
  upstreamCallsPerQuery: Record<string, Record<string, number>>;
  /** Upstream name → route → items served (`results` rows) per completed query. */
  upstreamRowsPerQuery: Record<string, Record<string, number>>;
  /** Upstream name → route → most items served in one answer over the measured window. */
  upstreamMaxRows: Record<string, Record<string, number>>;
  /** Process → CPU ms (user + system) per completed query over the measured window. */
  cpuMsPerQuery: Record<string, number>;
  /** CPU busy over the window, in cores (1.0 = one core flat out), to spot a saturated machine. */
  coresBusy: number;
  /** Cores other processes (neighbours) and the hypervisor (steal) used meanwhile: noise, ideally ~0. */
  otherCoresBusy: number;
  /** Process → peak RSS (VmHWM) in MiB, warm-up included. */
  peakRssMb: Record<string, number>;
  /** The orders subgraph's shadow reads by outcome over the whole run (empty without a shadow). */
  shadowReads: Record<string, number>;
}

// Idle = the stack used under 10 ms CPU in 250 ms. Requests abandoned when the warm-up stops keep
// running server-side (seconds, on a saturated stack); they must finish before the counters reset,
// or their upstream calls and CPU are charged to the measured window.
const IDLE_PROBE_MS = 250;
const IDLE_CPU_MS = 10;
const IDLE_WAIT_MAX_MS = 15_000;

/** One full measurement on a fresh stack: start, warm up, measure, stop. */
export async function measureRun(
  client: SubgraphClient,
  config: BenchConfig,
  authorizations: string[],
  log: (line: string) => void,
  variant: RunVariant = {},
): Promise<RunResult> {
  const name = variant.label ?? client;
  log(`[${name}] starting simulators, subgraphs and gateway`);
  const stack = await startStack(client, process.env, variant.ordersEnv);
  const worker = await startLoadWorker((code) => {
    if (code !== 0 && code !== null) log(`[${name}] load worker exited with ${code}`);
  });
  try {
    await simulators(stack, 'POST', '/__sim/faults', { latencyMs: config.upstreamLatencyMs });
    if (variant.vendorFaults)
      await admin(stack.simulatorUrls['vendor-commerce'], 'POST', '/__sim/faults', variant.vendorFaults);
    await smokeTest(stack.gatewayUrl, authorizations[0]!);
    const job = (durationS: number): LoadJob => ({
      url: `${stack.gatewayUrl}/graphql`,
      connections: config.connections,
      durationS,
      body: variant.page === undefined ? ORDER_HISTORY_BODY : orderHistoryBody(variant.page),
      authorizations,
    });
    if (config.warmupS > 0) {
      log(`[${name}] warm-up ${config.warmupS} s`);
      await worker.run(job(config.warmupS));
      if (!(await waitForIdle(stack.pids))) log(`[${name}] stack still busy after warm-up; measuring anyway`);
    }
    const pids = { ...stack.pids, load: worker.pid };
    await simulators(stack, 'DELETE', '/__sim/stats');
    const before = sampleCpu(pids);
    const machineBefore = machineBusyMs();
    const startedAt = process.hrtime.bigint();
    log(`[${name}] measuring ${config.durationS} s at ${config.connections} connections`);
    const load = await worker.run(job(config.durationS));
    const after = sampleCpu(pids);
    const machineDelta = machineBusyMs() - machineBefore;
    const wallMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    const stats = await simulators(stack, 'GET', '/__sim/stats');
    const perQuery = (n: number) => (load.completed > 0 ? n / load.completed : 0);
    const cpuDelta = Object.fromEntries(Object.keys(pids).map((n) => [n, after[n]! - before[n]!]));
    const oursMs = Object.values(cpuDelta).reduce((a, b) => a + b, 0);
    return {
      client,
      ...(variant.label ? { variant: variant.label } : {}),
      load,
      requestsPerSec: load.completed / load.durationS,
      goodRequestsPerSec: load.good / load.durationS,
      errors: load.non2xx + load.graphqlErrors + load.transportErrors,
      upstreamCallsPerQuery: byUpstream(stats, (s) => s.byRoute, perQuery),
      upstreamRowsPerQuery: byUpstream(stats, (s) => s.rowsByRoute, perQuery),
      upstreamMaxRows: byUpstream(
        stats,
        (s) => s.maxRowsByRoute,
        (n) => n,
      ),
      cpuMsPerQuery: Object.fromEntries(Object.entries(cpuDelta).map(([n, ms]) => [n, perQuery(ms)])),
      coresBusy: oursMs / wallMs,
      otherCoresBusy: Math.max(0, machineDelta - oursMs) / wallMs,
      peakRssMb: Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, peakRssMb(pid)])),
      shadowReads: await shadowReads(stack.ordersUrl),
    };
  } finally {
    worker.stop();
    await stack.stop();
  }
}

interface SimulatorStats {
  total: number;
  byRoute: Record<string, number>;
  rowsByRoute: Record<string, number>;
  maxRowsByRoute: Record<string, number>;
}

/** Upstream → route → value, from one per-route counter of every simulator. */
function byUpstream(
  stats: Record<string, SimulatorStats>,
  counter: (s: SimulatorStats) => Record<string, number>,
  scale: (n: number) => number,
): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(stats).map(([name, s]) => [
      name,
      Object.fromEntries(Object.entries(counter(s)).map(([route, n]) => [route, scale(n)])),
    ]),
  );
}

/** The same admin call on every simulator; GET answers their stats by upstream name. */
async function simulators(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, SimulatorStats>> {
  const entries = await Promise.all(
    Object.entries(stack.simulatorUrls).map(async ([name, url]) => {
      const text = await admin(url, method, path, body);
      return [name, method === 'GET' ? (JSON.parse(text) as SimulatorStats) : undefined] as const;
    }),
  );
  return Object.fromEntries(entries.filter(([, s]) => s !== undefined)) as Record<string, SimulatorStats>;
}

async function admin(url: string, method: string, path: string, body?: unknown): Promise<string> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}${path}: HTTP ${response.status} ${text}`);
  return text;
}

/**
 * `switchyard_orders_shadow_reads_total` by outcome from the orders subgraph's `/metrics`: proof the
 * shadow really ran (and how: mostly dropped and timed out when the vendor hangs). Empty if absent.
 */
async function shadowReads(ordersUrl: string): Promise<Record<string, number>> {
  const text = await admin(ordersUrl, 'GET', '/metrics');
  const reads: Record<string, number> = {};
  for (const match of text.matchAll(/^switchyard_orders_shadow_reads_total\{([^}]*)\} (\S+)$/gm)) {
    const outcome = /outcome="([^"]*)"/.exec(match[1]!)?.[1] ?? '?';
    reads[outcome] = (reads[outcome] ?? 0) + Number(match[2]);
  }
  return reads;
}

/** One query before any load: a misconfigured stack fails here in a second, not after a silent red run. */
async function smokeTest(gatewayUrl: string, authorization: string): Promise<void> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: ORDER_HISTORY_BODY,
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: { orderHistory?: { orders: unknown[] } }; errors?: unknown };
  if (!response.ok || body.errors || !body.data?.orderHistory?.orders.length) {
    throw new Error(`smoke query failed (HTTP ${response.status}): ${text.slice(0, 500)}`);
  }
}

/** Waits until the stack's processes stop burning CPU; false if they never did within the limit. */
async function waitForIdle(pids: Record<string, number>): Promise<boolean> {
  const total = () => Object.values(pids).reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
  const deadline = Date.now() + IDLE_WAIT_MAX_MS;
  let before = total();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, IDLE_PROBE_MS));
    const now = total();
    if (now - before < IDLE_CPU_MS) return true;
    before = now;
  }
  return false;
}
