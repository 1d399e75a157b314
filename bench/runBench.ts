import { join } from 'node:path';
import { z } from 'zod';
import { signToken } from '../platform/auth/signToken';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { env, parseEnv } from '../platform/config/parseEnv';
import { isConfigError } from '../platform/config/ConfigError';
import { measureRun, type BenchConfig } from './measureRun';
import { learnersWithOrders, ORDER_HISTORY_QUERY } from './orderHistoryQuery';
import { writeReport } from './report';
import { buildRoundsReport } from './roundsReport';
import { formatRoundsReport } from './formatRoundsReport';
import { ALL_STACKS, runRounds, type RoundsConfig } from './runRounds';
import type { SubgraphClient } from './startStack';
import { summarizeProfiles } from './profileSummary';
import { mkdirSync } from 'node:fs';
import { buildMergedReport, formatMergedReport } from './mergedReport';
import { buildShadowReport, formatShadowReport } from './shadowReport';
import { liveChildren, onUnexpectedExit } from './startProcess';
import { runKitOverheadBench } from './kitOverheadReport';
import { logErrorKinds } from './logErrorKinds';
import { runFieldUsage } from './runFieldUsage';
import { benchStacks, flagSetsOf, nodeOptionsOf, V8_FLAG_CHOICES, type V8FlagChoice } from './benchStacks';

// `npm run bench`: the same load against every stack, kept up side by side and measured in alternating
// rounds: our three deployments (kit, colocated, colocated-workers), the plain Apollo stack a team
// writes first in both shapes (bench/plain/: plain, plain-colocated), and ours with @apollo/gateway's
// stock data source (apollo-default), and Hive Gateway over the plain subgraphs (hive); every stack
// with the same V8 flags (BENCH_V8_FLAGS).
// `BENCH_FIELD_USAGE=1 npm run bench` instead measures one of our deployments with field usage counted
// and not, in alternating rounds (issue 24's figure).
// `BENCH_SHADOW=1 npm run bench` instead measures the shadow layer: the kit with the shadow off, then
// on (every history read shadowed to a vendor that never answers), reporting the primary's p99 ratio.
// `BENCH_MERGED=1 npm run bench` measures the merged history (legacy + vendor) on the first page and
// on a deeper one, with the orders each system served per query against the read bound.

const RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'latest.json');
const PROFILES = join(__dirname, '..', '..', 'bench', 'results', 'profiles');
const SHADOW_RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'shadow.json');
const MERGED_RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'merged.json');

const MERGED_ON = { ORDERS_BACKEND: 'merged' };

// The worst case for the primary: every read sampled, and every shadow read waits out its deadline.
const SHADOW_ON = { ORDERS_SHADOW_BACKEND: 'vendor', ORDERS_SHADOW_SAMPLE_RATE: '1' };

interface BenchMode extends Omit<RoundsConfig, 'profileDir' | 'stacks' | 'headers'> {
  profile: boolean;
  shadow: boolean;
  merged: boolean;
  fieldUsage: boolean;
  v8Flags: V8FlagChoice;
  /** BENCH_STACKS: the clients measured. @default every one of ALL_STACKS */
  clients?: SubgraphClient[];
  /** The deeper page of the merged measurement (the first is always page 1). */
  mergedDeepPage: number;
}

function parseBenchEnv(): BenchConfig & BenchMode {
  const whole = (fallback: number, min: number) =>
    z.coerce.number().int('must be a whole number').min(min, `must be >= ${min}`).default(fallback);
  const parsed = parseEnv(
    {
      BENCH_CONNECTIONS: whole(50, 1),
      BENCH_DURATION_S: whole(10, 1),
      BENCH_ROUNDS: whole(3, 1),
      BENCH_LEARNERS: whole(600, 50),
      BENCH_UNLOADED_S: whole(3, 0),
      BENCH_FAILFAST_S: whole(5, 0),
      BENCH_PROFILE: env.boolean(false),
      BENCH_WARMUP_S: whole(5, 0),
      BENCH_UPSTREAM_LATENCY_MS: whole(2, 0),
      BENCH_SHADOW: env.boolean(false),
      BENCH_MERGED: env.boolean(false),
      BENCH_MERGED_DEEP_PAGE: whole(3, 2),
      BENCH_FIELD_USAGE: env.boolean(false),
      BENCH_V8_FLAGS: z
        .enum(V8_FLAG_CHOICES, { error: `must be one of: ${V8_FLAG_CHOICES.join(', ')}` })
        .default('ours'),
      // A comma-separated subset of the stacks, e.g. `colocated,plain` while iterating on one.
      BENCH_STACKS: z
        .string()
        .optional()
        .transform((value, ctx) => {
          if (value === undefined || value.trim() === '') return undefined;
          const names = value.split(',').map((n) => n.trim());
          const unknown = names.filter((n) => !(ALL_STACKS as readonly string[]).includes(n));
          if (unknown.length > 0) {
            ctx.addIssue({
              code: 'custom',
              message: `unknown stack ${unknown.join(', ')}; known: ${ALL_STACKS.join(', ')}`,
            });
            return z.NEVER;
          }
          return names as SubgraphClient[];
        }),
    },
    process.env,
  );
  return {
    connections: parsed.BENCH_CONNECTIONS,
    durationS: parsed.BENCH_DURATION_S,
    warmupS: parsed.BENCH_WARMUP_S,
    upstreamLatencyMs: parsed.BENCH_UPSTREAM_LATENCY_MS,
    shadow: parsed.BENCH_SHADOW,
    merged: parsed.BENCH_MERGED,
    mergedDeepPage: parsed.BENCH_MERGED_DEEP_PAGE,
    fieldUsage: parsed.BENCH_FIELD_USAGE,
    v8Flags: parsed.BENCH_V8_FLAGS,
    rounds: parsed.BENCH_ROUNDS,
    learners: parsed.BENCH_LEARNERS,
    unloadedS: parsed.BENCH_UNLOADED_S,
    failFastS: parsed.BENCH_FAILFAST_S,
    profile: parsed.BENCH_PROFILE,
    ...(parsed.BENCH_STACKS ? { clients: parsed.BENCH_STACKS } : {}),
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
  const {
    shadow,
    merged,
    mergedDeepPage,
    rounds,
    learners: seeded,
    unloadedS,
    failFastS,
    profile,
    clients,
    fieldUsage,
    v8Flags,
    ...config
  } = parseBenchEnv();
  if ([shadow, merged, fieldUsage].filter(Boolean).length > 1)
    fail('set one of BENCH_SHADOW, BENCH_MERGED and BENCH_FIELD_USAGE, not several');
  const flagSets = flagSetsOf(v8Flags);
  // The shadow and merged measurements run one kit at a time, with the first flag set.
  const nodeOptions = nodeOptionsOf(flagSets[0]!, process.env.BENCH_NODE_OPTIONS);
  const jwt = parseJwtEnv(process.env);
  // The shadow and merged measurements keep the fifty learners (vendor orders exist only there).
  const learners = shadow || merged ? learnersWithOrders() : learnersWithOrders(seeded);
  // Signed once, up front: signing per request would be charged to the load generator's CPU. The
  // lifetime covers the longest run anyone would configure.
  const authorizations = learners.map((u) => `JWT ${signToken(u, jwt, { expiresInSeconds: 24 * 3600 })}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const query = { ...config, learners: learners.length, query: ORDER_HISTORY_QUERY };
  if (merged) {
    const runs = [];
    for (const page of [1, mergedDeepPage]) {
      const label = `merged-page-${page}`;
      runs.push({
        page,
        run: await measureRun('kit', config, authorizations, log, {
          label,
          ordersEnv: MERGED_ON,
          page,
          nodeOptions,
        }),
      });
    }
    const report = buildMergedReport({ ...query, ordersEnv: MERGED_ON }, runs);
    writeReport(MERGED_RESULTS, report);
    process.stdout.write(`\n${formatMergedReport(report)}\n\nwritten to bench/results/merged.json\n`);
    logErrorKinds(report.runs, log);
    return;
  }
  if (shadow) {
    // Same order as the kit/baseline pair: the reference first, each on a fresh stack.
    const off = await measureRun('kit', config, authorizations, log, { label: 'shadow-off', nodeOptions });
    const on = await measureRun('kit', config, authorizations, log, {
      label: 'shadow-on',
      nodeOptions,
      ordersEnv: SHADOW_ON,
      vendorFaults: { hang: true },
    });
    const report = buildShadowReport({ ...query, ordersEnv: SHADOW_ON }, off, on);
    writeReport(SHADOW_RESULTS, report);
    process.stdout.write(`\n${formatShadowReport(report)}\n\nwritten to bench/results/shadow.json\n`);
    logErrorKinds(report.runs, log);
    return;
  }
  const profileDir = profile ? join(PROFILES, new Date().toISOString().replace(/[:.]/g, '-')) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const reportConfig = {
    ...config,
    rounds,
    learners: seeded,
    unloadedS,
    failFastS,
    loadLearners: learners.length,
    query: ORDER_HISTORY_QUERY,
    v8Flags,
  };
  if (fieldUsage) {
    await runFieldUsage(
      config,
      { ...reportConfig, failFastS: 0 },
      clients,
      learners,
      authorizations,
      log,
      profileDir,
      process.env.BENCH_NODE_OPTIONS,
    );
    return;
  }
  const stacks = benchStacks(clients ?? ALL_STACKS, flagSets, process.env.BENCH_NODE_OPTIONS);
  const roundsConfig = {
    rounds,
    learners: seeded,
    unloadedS,
    failFastS,
    stacks,
    ...(profileDir ? { profileDir } : {}),
  };
  const result = await runRounds(config, roundsConfig, learners, authorizations, log);
  const report = buildRoundsReport(reportConfig, result, stacks);
  writeReport(RESULTS, report);
  process.stdout.write(`\n${formatRoundsReport(report)}\n\nwritten to bench/results/latest.json\n`);
  logErrorKinds(
    Object.values(result.stacks).flatMap((s) => s.rounds),
    log,
  );
  // The unloaded windows too: an error there (a stale keep-alive socket after the idle wait) is a
  // fault of that stack like any other.
  for (const [client, s] of Object.entries(result.stacks))
    for (const unloaded of s.unloaded)
      for (const [kind, n] of Object.entries(unloaded.errorKinds))
        log(`[${client}, 1 connection] ${n}× ${kind}`);
  for (const failFast of Object.values(result.failFast))
    logErrorKinds([failFast.run], (line) => log(`(fail-fast, expected) ${line}`));
  if (profileDir) {
    const summary = summarizeProfiles(profileDir, result);
    process.stdout.write(`\n${summary}\nprofiles and summary in ${profileDir}\n`);
  }
  // T17: the upstream kit's own overhead against a direct undici call (bench/kitOverhead.ts).
  await runKitOverheadBench(log);
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
