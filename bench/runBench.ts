import { join } from 'node:path';
import { z } from 'zod';
import { signToken } from '../platform/auth/signToken';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { parseEnv } from '../platform/config/parseEnv';
import { isConfigError } from '../platform/config/ConfigError';
import { measureRun, type BenchConfig } from './measureRun';
import { learnersWithOrders, ORDER_HISTORY_QUERY } from './orderHistoryQuery';
import { buildReport, formatReport, writeReport } from './report';
import { liveChildren, onUnexpectedExit } from './startStack';

// `npm run bench`: the same load against the gateway with its own subgraph client (kit) and with
// @apollo/gateway's stock one (the baseline), each on a fresh stack of production processes.

const RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'latest.json');

function parseBenchEnv(): BenchConfig {
  const whole = (fallback: number, min: number) =>
    z.coerce.number().int('must be a whole number').min(min, `must be >= ${min}`).default(fallback);
  const parsed = parseEnv(
    {
      BENCH_CONNECTIONS: whole(50, 1),
      BENCH_DURATION_S: whole(20, 1),
      BENCH_WARMUP_S: whole(5, 0),
      BENCH_UPSTREAM_LATENCY_MS: whole(2, 0),
    },
    process.env,
  );
  return {
    connections: parsed.BENCH_CONNECTIONS,
    durationS: parsed.BENCH_DURATION_S,
    warmupS: parsed.BENCH_WARMUP_S,
    upstreamLatencyMs: parsed.BENCH_UPSTREAM_LATENCY_MS,
  };
}

/** Last resort: whatever is still running when we leave is killed, whatever the reason we leave. */
function killChildren(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
}

function fail(error: unknown): never {
  const message = isConfigError(error)
    ? error.message
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`bench failed: ${message}\n`);
  killChildren();
  process.exit(1);
}

async function main(): Promise<void> {
  const config = parseBenchEnv();
  const jwt = parseJwtEnv(process.env);
  const learners = learnersWithOrders();
  // Signed once, up front: signing per request would be charged to the load generator's CPU. The
  // lifetime covers the longest run anyone would configure.
  const authorizations = learners.map((u) => `JWT ${signToken(u, jwt, { expiresInSeconds: 24 * 3600 })}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // Fixed order: the kit first, then the baseline. Each gets a fresh stack, so the order only matters
  // for slow drift of the machine itself (thermal, neighbours), which a rerun shows.
  const kit = await measureRun('kit', config, authorizations, log);
  const baseline = await measureRun('apollo-default', config, authorizations, log);
  const report = buildReport(
    { ...config, learners: learners.length, query: ORDER_HISTORY_QUERY },
    kit,
    baseline,
  );
  writeReport(RESULTS, report);
  process.stdout.write(`\n${formatReport(report)}\n\nwritten to bench/results/latest.json\n`);
  for (const run of report.runs) {
    for (const [kind, n] of Object.entries(run.load.errorKinds)) log(`[${run.client}] ${n}× ${kind}`);
  }
}

process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the stack\n`);
    killChildren();
    process.exit(130);
  });
}
onUnexpectedExit(fail);
main().then(() => process.exit(0), fail);
