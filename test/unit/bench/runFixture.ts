import type { RunResult } from '../../../bench/measureRun';
import type { StackRounds } from '../../../bench/runRounds';

/** A measured window with the figures the reports read; everything else neutral. */
export function run(figures: {
  rps: number;
  cpu: number;
  rss?: { total: number; largest: number };
  p50?: number;
  errors?: number;
  legacy?: number;
  counted?: number;
}): RunResult {
  return {
    client: 'kit',
    load: {
      durationS: 10,
      completed: figures.rps * 10,
      good: figures.rps * 10,
      non2xx: figures.errors ?? 0,
      graphqlErrors: 0,
      transportErrors: 0,
      timeouts: 0,
      latencyMs: { p50: 100, p90: 150, p99: 200, max: 300, mean: 110 },
      goodLatencyMs: { p50: 100, p90: 150, p99: 200 },
      statusCodes: { '200': figures.rps * 10 },
      errorKinds: {},
    },
    requestsPerSec: figures.rps,
    goodRequestsPerSec: figures.rps,
    errors: figures.errors ?? 0,
    upstreamCallsPerQuery: {
      'legacy-ecommerce': { 'orders.list': figures.legacy ?? 1 },
      discovery: { 'course_runs.list': 1 },
    },
    upstreamRowsPerQuery: {},
    upstreamMaxRows: {},
    cpuMsPerQuery: { gateway: figures.cpu, simulators: 2, load: 1 },
    coresBusy: 1.5,
    otherCoresBusy: 0.05,
    peakRssMb: { gateway: figures.rss?.largest ?? 200 },
    stackRssMb: figures.rss ?? { total: 400, largest: 200 },
    shadowReads: {},
    ...(figures.counted === undefined ? {} : { fieldUsageCounted: figures.counted }),
  };
}

/** A stack's rounds, with one error-free unloaded window per round at `p50` ms. */
export function rounds(runs: RunResult[], p50 = 20): StackRounds {
  return {
    rounds: runs,
    unloaded: runs.map((r) => ({ ...r.load, non2xx: 0, latencyMs: { ...r.load.latencyMs, p50 } })),
  };
}
