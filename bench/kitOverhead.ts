import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { join, sep } from 'node:path';
import { close, listen } from '../platform/http/listen';
import type { OverheadLoadJob, OverheadLoadResult } from './kitOverheadLoad';

export interface KitOverheadOptions {
  /**
   * Offered load, open loop, the two variants taking turns request by request (each gets half, at
   * instants spread alike over the same seconds). @default 500 (resilience reference T17)
   */
  ratePerSec?: number;
  /** Length of each measured phase. */
  phaseMs: number;
  /** Measured phases; each sends to both variants. */
  rounds: number;
  /** Unmeasured load first: JIT, pools and the breaker's buckets warm up. */
  warmupMs: number;
}

export interface Percentiles {
  samples: number;
  p50: number;
  p99: number;
}

export interface KitOverheadResult {
  ratePerSec: number;
  phaseMs: number;
  rounds: number;
  /** Seen by the load generator (another process), from each request's intended send time. */
  endToEnd: { direct: Percentiles; kit: Percentiles };
  /** Inside the server process, around the call alone: the kit's own work, without network or queueing. */
  inProcess: { direct: Percentiles; kit: Percentiles };
  /** kit − direct, end to end: what T17 judges. */
  overheadMs: { p50: number; p99: number };
  /** kit − direct around the call itself: where the time goes when the end-to-end figure is missed. */
  inProcessOverheadMs: { p50: number; p99: number };
  /** Failed requests per variant (a 502 from the server means the call itself failed). */
  errors: { direct: number; kit: number };
  /** Requests answered per second across the measured phases (the rate the server actually saw). */
  achievedRatePerSec: number;
}

// dist/bench → its siblings when compiled; bench/ → dist/bench under ts-jest (npm test builds first).
const DIST_BENCH = __dirname.includes(`${sep}dist${sep}`)
  ? __dirname
  : join(__dirname, '..', 'dist', 'bench');

/**
 * T17, the upstream kit's own overhead: a stub upstream here, the server that calls it (directly or
 * through the kit) in one child process and the open-loop load generator in another, on loopback.
 * Each request does exactly one upstream call, so per-request overhead is per-call overhead.
 */
export async function measureKitOverhead(options: KitOverheadOptions): Promise<KitOverheadResult> {
  const ratePerSec = options.ratePerSec ?? 500;
  const body = JSON.stringify({ id: 'item-1', title: 'A course', price: { amount: 4900, currency: 'USD' } });
  const stub = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(body),
  );
  const stubUrl = await listen(stub, 0);
  const children: ChildProcess[] = [];
  const spawn = (entry: string) => {
    const child = fork(join(DIST_BENCH, entry), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    return child;
  };
  try {
    const server = spawn('kitOverheadServer.js');
    server.send({ target: stubUrl });
    const [{ listening }] = (await once(server, 'message')) as [{ listening: string }];
    const load = spawn('kitOverheadLoad.js');
    const phase = async (durationMs: number) => {
      const job: OverheadLoadJob = { origin: listening, paths: ['/direct', '/kit'], ratePerSec, durationMs };
      load.send(job);
      const [result] = (await once(load, 'message')) as [OverheadLoadResult];
      return result;
    };
    const timings = async () => {
      server.send({ timings: true });
      const [message] = (await once(server, 'message')) as [{ timings: Record<'direct' | 'kit', number[]> }];
      return message.timings;
    };
    await phase(options.warmupMs);
    await timings(); // the warm-up's are dropped
    const e2e = { direct: [] as number[], kit: [] as number[] };
    const errors = { direct: 0, kit: 0 };
    let answered = 0;
    let elapsedMs = 0;
    for (let round = 0; round < options.rounds; round++) {
      const result = await phase(options.phaseMs);
      e2e.direct.push(...result.latenciesMs[0]!);
      e2e.kit.push(...result.latenciesMs[1]!);
      errors.direct += result.errors[0]!;
      errors.kit += result.errors[1]!;
      answered += result.latenciesMs[0]!.length + result.latenciesMs[1]!.length;
      elapsedMs += result.elapsedMs;
    }
    const inside = await timings();
    const endToEnd = { direct: percentiles(e2e.direct), kit: percentiles(e2e.kit) };
    const inProcess = { direct: percentiles(inside.direct), kit: percentiles(inside.kit) };
    return {
      ratePerSec,
      phaseMs: options.phaseMs,
      rounds: options.rounds,
      endToEnd,
      inProcess,
      overheadMs: difference(endToEnd),
      inProcessOverheadMs: difference(inProcess),
      errors,
      achievedRatePerSec: round2((answered / elapsedMs) * 1000),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await close(stub, 500);
  }
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { samples: sorted.length, p50: round2(at(0.5)), p99: round2(at(0.99)) };
}

const difference = (pair: { direct: Percentiles; kit: Percentiles }) => ({
  p50: round2(pair.kit.p50 - pair.direct.p50),
  p99: round2(pair.kit.p99 - pair.direct.p99),
});

const round2 = (n: number) => Math.round(n * 100) / 100;
