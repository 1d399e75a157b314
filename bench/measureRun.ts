import { ORDER_HISTORY_BODY, orderHistoryBody } from './orderHistoryQuery';
import { cpuTimeMs, machineBusyMs, peakRssMb, peakRssOfTreeMb, presentPids, sampleCpu } from './processStats';
import { startLoadWorker, type LoadJob, type LoadResult } from './startLoadWorker';
import { startStack, type Stack, type SubgraphClient } from './startStack';
import { admin, counterTotal, shadowReads } from './adminPages';
import { smokeTest } from './smokeTest';

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
  /** Added to the gateway's environment only (e.g. FIELD_USAGE_METRICS=false). */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** Sent with every request besides the token (e.g. apollographql-client-name). */
  headers?: Readonly<Record<string, string>>;
  /** NODE_OPTIONS of the stack's own processes (startStack). @default '' (Node's defaults) */
  nodeOptions?: string;
}

export interface RunResult {
  client: SubgraphClient;
  /** RunVariant.label, when the run had one. */
  variant?: string;
  /** Wall-clock bounds of the measured window (Date.now()), to cut it out of a CPU profile. */
  window?: { startedAtMs: number; endedAtMs: number };
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
  /**
   * The deployment's memory: peak RSS summed over every process of the stack (gateway, subgraphs, a
   * cluster's primary and workers), and the largest of them, in MiB; simulators and load left out.
   */
  stackRssMb: { total: number; largest: number };
  /** The gateway's `switchyard_field_usage_total` summed over every series (plain stacks: absent). */
  fieldUsageCounted?: number;
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
  const bench = await openBench(client, config, authorizations, log, variant);
  try {
    await bench.warmUp(config.warmupS);
    return await bench.measure(config.durationS, config.connections);
  } finally {
    await bench.stop();
  }
}

/** A running stack with its load generator, measured as many times as asked (alternating rounds). */
export interface OpenBench {
  name: string;
  stack: Stack;
  /** The load generator's pid: its CPU is reported apart. */
  loadPid: number;
  warmUp(seconds: number): Promise<void>;
  /** One measured window: counters reset, load for `seconds`, figures over that window only. */
  measure(seconds: number, connections: number): Promise<RunResult>;
  /** The same POST /__sim/faults on every simulator (or one upstream's). */
  setFaults(faults: Record<string, unknown>, upstream?: keyof Stack['simulatorUrls']): Promise<void>;
  /** One request as a learner, the body parsed: the cross-stack data check. */
  query(authorization: string): Promise<unknown>;
  stop(): Promise<void>;
}

export interface OpenOptions {
  learners?: number;
  profile?: { dir: string; label: string };
}

/** Starts a fresh stack and load generator, sets the upstream latency, and smoke-tests it. */
export async function openBench(
  client: SubgraphClient,
  config: BenchConfig,
  authorizations: string[],
  log: (line: string) => void,
  variant: RunVariant = {},
  options: OpenOptions = {},
): Promise<OpenBench> {
  const name = variant.label ?? client;
  log(`[${name}] starting simulators, subgraphs and gateway`);
  const stack = await startStack(client, process.env, {
    ...(variant.ordersEnv ? { ordersEnv: variant.ordersEnv } : {}),
    ...(options.learners === undefined ? {} : { learners: options.learners }),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(variant.nodeOptions === undefined ? {} : { nodeOptions: variant.nodeOptions }),
    ...(variant.gatewayEnv ? { gatewayEnv: variant.gatewayEnv } : {}),
  });
  let worker: Awaited<ReturnType<typeof startLoadWorker>> | undefined;
  const stop = async () => {
    worker?.stop();
    await stack.stop();
  };
  try {
    worker = await startLoadWorker((code) => {
      if (code !== 0 && code !== null) log(`[${name}] load worker exited with ${code}`);
    });
    await simulators(stack, 'POST', '/__sim/faults', { latencyMs: config.upstreamLatencyMs });
    if (variant.vendorFaults)
      await admin(stack.simulatorUrls['vendor-commerce'], 'POST', '/__sim/faults', variant.vendorFaults);
    // learner1's page has a retired course run, which Hive reports in `errors` (bench/sameAnswer.ts;
    // the same-data check compares that page): Hive is smoke-tested on the next learner's.
    await smokeTest(stack.gatewayUrl, authorizations[client === 'hive' ? 1 : 0]!, variant.headers);
  } catch (error) {
    await stop();
    throw error;
  }
  const load = worker;
  const body = variant.page === undefined ? ORDER_HISTORY_BODY : orderHistoryBody(variant.page);
  const job = (durationS: number, connections = config.connections): LoadJob => ({
    url: `${stack.gatewayUrl}/graphql`,
    connections,
    durationS,
    body,
    authorizations,
    ...(variant.headers ? { headers: variant.headers } : {}),
  });
  const stackPids = presentPids(stack.pids); // a co-located stack has no subgraph processes
  return {
    name,
    stack,
    loadPid: load.pid,
    stop,
    warmUp: async (seconds) => {
      if (seconds <= 0) return;
      log(`[${name}] warm-up ${seconds} s`);
      await load.run(job(seconds));
      if (!(await waitForIdle(stackPids))) log(`[${name}] stack still busy after warm-up; measuring anyway`);
    },
    setFaults: async (faults, upstream) => {
      if (upstream) await admin(stack.simulatorUrls[upstream], 'POST', '/__sim/faults', faults);
      else await simulators(stack, 'POST', '/__sim/faults', faults);
    },
    query: async (authorization) => {
      const response = await fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { ...variant.headers, 'content-type': 'application/json', authorization },
        body,
      });
      // Each stack has its own simulators: their address (in receipt URLs) is the one expected difference.
      const text = (await response.text()).replaceAll(stack.simulatorUrls['legacy-ecommerce'], '<legacy>');
      return { status: response.status, body: JSON.parse(text) as unknown };
    },
    measure: async (seconds, connections) => {
      // Whatever the previous window left running server-side finishes before the counters reset.
      if (!(await waitForIdle(stackPids))) log(`[${name}] stack still busy; measuring anyway`);
      const pids = { ...stackPids, load: load.pid };
      await simulators(stack, 'DELETE', '/__sim/stats');
      const before = sampleCpu(pids);
      const machineBefore = machineBusyMs();
      const startedAt = process.hrtime.bigint();
      const startedAtMs = Date.now();
      log(`[${name}] measuring ${seconds} s at ${connections} connection(s)`);
      const result = await load.run(job(seconds, connections));
      const after = sampleCpu(pids);
      const machineDelta = machineBusyMs() - machineBefore;
      const wallMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const stats = await simulators(stack, 'GET', '/__sim/stats');
      const perQuery = (n: number) => (result.completed > 0 ? n / result.completed : 0);
      const cpuDelta = Object.fromEntries(Object.keys(pids).map((n) => [n, after[n]! - before[n]!]));
      const oursMs = Object.values(cpuDelta).reduce((a, b) => a + b, 0);
      return {
        client,
        ...(variant.label ? { variant: variant.label } : {}),
        window: { startedAtMs, endedAtMs: startedAtMs + wallMs },
        load: result,
        requestsPerSec: result.completed / result.durationS,
        goodRequestsPerSec: result.good / result.durationS,
        errors: result.non2xx + result.graphqlErrors + result.transportErrors,
        upstreamCallsPerQuery: byUpstream(stats, (st) => st.byRoute, perQuery),
        upstreamRowsPerQuery: byUpstream(stats, (st) => st.rowsByRoute, perQuery),
        upstreamMaxRows: byUpstream(
          stats,
          (st) => st.maxRowsByRoute,
          (n) => n,
        ),
        cpuMsPerQuery: Object.fromEntries(Object.entries(cpuDelta).map(([n, ms]) => [n, perQuery(ms)])),
        coresBusy: oursMs / wallMs,
        otherCoresBusy: Math.max(0, machineDelta - oursMs) / wallMs,
        peakRssMb: Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, peakRssMb(pid)])),
        stackRssMb: stackRss(stackPids),
        // The plain stacks have no /metrics.
        shadowReads: stack.ordersAdminUrl ? await shadowReads(stack.ordersAdminUrl) : {},
        ...(stack.gatewayAdminUrl
          ? { fieldUsageCounted: await counterTotal(stack.gatewayAdminUrl, 'switchyard_field_usage_total') }
          : {}),
      };
    },
  };
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

/** Peak RSS summed over the stack's processes and their children, and the largest; not the simulators. */
function stackRss(pids: Readonly<Record<string, number>>): RunResult['stackRssMb'] {
  const each = Object.entries(pids)
    .filter(([name]) => name !== 'simulators')
    .flatMap(([, pid]) => peakRssOfTreeMb(pid));
  return { total: each.reduce((a, b) => a + b, 0), largest: Math.max(0, ...each) };
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
