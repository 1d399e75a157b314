import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signToken } from '../platform/auth/signToken';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { SWITCHYARD_NODE_OPTIONS } from '../platform/nodeOptions';
import type * as measureRunModule from './measureRun';
import type { BenchConfig, OpenBench, RunResult } from './measureRun';
import { learnersWithOrders } from './orderHistoryQuery';
import { summarizeCpuProfile, type CpuProfile } from './summarizeCpuProfile';

// Issue 25: the co-located stack with workers alone, for A/B comparisons of one change and for
// profiles of its workers (the bench's own profiles name one file per component, which a primary and
// its workers overwrite).
//
//   node dist/bench/profileColocated.js                          # this build, rounds of CPU per page
//   PROFILE_BASE=/tmp/base/dist node dist/bench/profileColocated.js   # A/B: alternates with that build
//   PROFILE_CPU=1 node dist/bench/profileColocated.js            # every worker under --cpu-prof
//
// PROFILE_ROUNDS (4), PROFILE_DURATION_S (8), PROFILE_WARMUP_S (4), PROFILE_CONNECTIONS (50),
// PROFILE_STACK (colocated-workers | colocated | kit …); PROFILE_NODE_OPTIONS and
// PROFILE_BASE_NODE_OPTIONS give each side its own V8 flags (PROFILE_BASE may be this very dist/ to
// compare flags alone). PROFILE_BASE starts the same stack from
// another build (its own dist/, e.g. the parent commit's), kept up beside this one; the rounds
// alternate which goes first, so both see the same box within a minute.

const RESULTS = join(__dirname, '..', '..', 'bench', 'results', 'profiles');

interface Variant {
  label: string;
  bench: OpenBench;
  runs: RunResult[];
  memory: string[];
}

function num(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}

/** Each worker's (or the process's) RSS and peak RSS, from /proc. */
function memoryOf(pid: number): string {
  const children = (() => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  })();
  const one = (p: number) => {
    const status = readFileSync(`/proc/${p}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) / 1024;
    return `${p}: rss ${kb('VmRSS').toFixed(0)} / peak ${kb('VmHWM').toFixed(0)} MiB`;
  };
  return [one(pid), ...children.map(one)].join('; ');
}

async function main(): Promise<void> {
  const stack = (process.env.PROFILE_STACK ?? 'colocated-workers') as 'colocated-workers';
  const rounds = num(process.env.PROFILE_ROUNDS, 4);
  const config: BenchConfig = {
    connections: num(process.env.PROFILE_CONNECTIONS, 50),
    durationS: num(process.env.PROFILE_DURATION_S, 8),
    warmupS: num(process.env.PROFILE_WARMUP_S, 4),
    upstreamLatencyMs: 2,
  };
  const cpu = process.env.PROFILE_CPU === '1';
  const dir = join(RESULTS, `colocated-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  if (cpu) {
    mkdirSync(dir, { recursive: true });
    // Every process of ours (primary and workers) writes <pid>.cpuprofile here (cpuProfilePreload).
    const preload = join(__dirname, 'cpuProfilePreload.js');
    process.env.BENCH_NODE_OPTIONS = `${process.env.BENCH_NODE_OPTIONS ?? SWITCHYARD_NODE_OPTIONS} --require ${preload}`;
    process.env.PROFILE_PRELOAD_DIR = dir;
  }
  const jwt = parseJwtEnv(process.env);
  const learners = learnersWithOrders();
  const authorizations = learners.map((u) => `JWT ${signToken(u, jwt, { expiresInSeconds: 24 * 3600 })}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const builds: [string, string][] = [['this', join(__dirname, '..')]];
  if (process.env.PROFILE_BASE) builds.push(['base', resolve(process.env.PROFILE_BASE)]);
  const variants: Variant[] = [];
  try {
    const flags = { this: process.env.PROFILE_NODE_OPTIONS, base: process.env.PROFILE_BASE_NODE_OPTIONS };
    for (const [label, dist] of builds) {
      // Each side may run with its own V8 flags (a young-generation table); startStack reads them at spawn.
      const own = flags[label as keyof typeof flags];
      if (own !== undefined) process.env.BENCH_NODE_OPTIONS = own;
      // Each build's own bench module starts its own dist/ (startStack resolves entries beside itself).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { openBench } = require(join(dist, 'bench', 'measureRun.js')) as typeof measureRunModule;
      const bench = await openBench(stack, config, authorizations, log, { label });
      await bench.warmUp(config.warmupS);
      variants.push({ label, bench, runs: [], memory: [] });
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const run = await v.bench.measure(config.durationS, config.connections);
        v.runs.push(run);
        v.memory.push(memoryOf(v.bench.stack.pids.gateway!));
        const c = run.cpuMsPerQuery;
        log(
          `round ${round + 1} ${v.label}: ${run.requestsPerSec.toFixed(1)} req/s, stack ${(c.gateway ?? 0).toFixed(2)} ms/page, ` +
            `p50 ${run.load.latencyMs.p50} ms, errors ${run.errors}, other cores ${run.otherCoresBusy.toFixed(2)}; ${v.memory.at(-1)}`,
        );
      }
    }
  } finally {
    await Promise.all(variants.map((v) => v.bench.stop()));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
  for (const v of variants) {
    const cpuPer = v.runs.map((r) => r.cpuMsPerQuery.gateway ?? 0);
    process.stdout.write(
      `${v.label}: median stack CPU ${median(cpuPer).toFixed(2)} ms/page (rounds ${cpuPer.map((x) => x.toFixed(2)).join(', ')}), ` +
        `median ${median(v.runs.map((r) => r.requestsPerSec)).toFixed(1)} req/s, errors ${v.runs.reduce((s, r) => s + r.errors, 0)}\n`,
    );
  }
  if (variants.length === 2) {
    const ratios = variants[0]!.runs.map(
      (r, i) => (r.cpuMsPerQuery.gateway ?? 0) / (variants[1]!.runs[i]!.cpuMsPerQuery.gateway ?? 1),
    );
    process.stdout.write(
      `this ÷ base, CPU per page by round: ${ratios.map((x) => x.toFixed(3)).join(', ')}; median ${median(ratios).toFixed(3)}\n`,
    );
  }
  if (cpu) summarizeDir(dir, variants);
}

/** Self and inclusive time of each process's profile inside the measured windows. */
function summarizeDir(dir: string, variants: Variant[]): void {
  const windows = variants.flatMap((v) => v.runs.map((r) => r.window!));
  const queries = variants.reduce((s, v) => s + v.runs.reduce((t, r) => t + r.load.completed, 0), 0);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile & { wallStartMs: number };
    process.stdout.write(
      `\n## ${file}\n\n${summarizeCpuProfile(profile, profile.wallStartMs, windows, queries)}\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
