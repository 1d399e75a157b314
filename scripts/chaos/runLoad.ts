import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request's outcome: `ok`, an error code such as `UPSTREAM_UNAVAILABLE`, or a transport failure. */
export interface Sample {
  /** ms since the load started. */
  at: number;
  ms: number;
  outcome: string;
}

export type Call = () => Promise<string>;

/** How far `minSamples` may stretch a phase beyond its `durationMs`. */
const MAX_STRETCH = 5;

export interface ClosedLoopOptions {
  clients: number;
  /** Stops starting new requests after this long. */
  durationMs: number;
  /** Pause between a client's requests; 0 = back to back. */
  thinkMs?: number;
  /** Stops early once this returns true (checked before each request). */
  until?: () => boolean;
  /**
   * Goes on past `durationMs` (up to MAX_STRETCH times it) until this many requests answered: a ratio
   * over a few dozen requests — what a starved box manages in a short phase — is noise.
   */
  minSamples?: number;
  call: Call;
}

/**
 * The same load for a moment, unrecorded, before a phase that is measured: the first requests of a
 * fresh stack pay JIT compilation, the first query plans and new connections, which are not the steady
 * state a baseline is about (on a busy 2-core box they took seconds, and failed a baseline).
 */
export async function warmUp(
  options: Pick<ClosedLoopOptions, 'clients' | 'call'>,
  durationMs = 400,
): Promise<void> {
  await runClosedLoop({ ...options, durationMs });
}

/**
 * Closed-loop load: each client sends its next request when the previous one answered. Bounded by
 * time and client count, so a stuck stack cannot make an experiment run away.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const start = performance.now();
  const minSamples = options.minSamples ?? 0;
  const keepGoing = () => {
    const elapsed = performance.now() - start;
    if (elapsed >= options.durationMs * MAX_STRETCH) return false;
    return elapsed < options.durationMs || samples.length < minSamples;
  };
  const client = async () => {
    while (keepGoing() && !options.until?.()) {
      samples.push(await timed(options.call, start));
      if (options.thinkMs) await sleep(options.thinkMs);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  return samples;
}

export interface FixedRateOptions {
  ratePerSec: number;
  durationMs: number;
  /** Requests in flight at most; beyond it a tick is skipped (counted) instead of queueing. */
  maxInFlight: number;
  call: Call;
}

/**
 * Open-loop load at a fixed rate: the offered load stays the same whether the stack answers fast or
 * hangs, so a baseline phase and a fault phase can be compared (closed loops slow down with the stack).
 */
export async function runFixedRate(
  options: FixedRateOptions,
): Promise<{ samples: Sample[]; skipped: number }> {
  const samples: Sample[] = [];
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const intervalMs = 1000 / options.ratePerSec;
  let skipped = 0;
  for (let n = 0; n * intervalMs < options.durationMs; n++) {
    const wait = start + n * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    if (pending.size >= options.maxInFlight) {
      skipped++;
      continue;
    }
    const request: Promise<void> = timed(options.call, start).then((sample) => {
      samples.push(sample);
      pending.delete(request);
    });
    pending.add(request);
  }
  await Promise.all(pending);
  return { samples, skipped };
}

async function timed(call: Call, start: number): Promise<Sample> {
  const began = performance.now();
  let outcome: string;
  try {
    outcome = await call();
  } catch (error) {
    outcome = `THROWN:${(error as { code?: string })?.code ?? (error as Error)?.name ?? 'error'}`;
  }
  return { at: began - start, ms: performance.now() - began, outcome };
}

export interface LoadSummary {
  count: number;
  /** Share of samples whose outcome is `ok` (0-1). */
  successRate: number;
  p50: number;
  p99: number;
  max: number;
  outcomes: Record<string, number>;
}

export function summarize(samples: readonly Sample[]): LoadSummary {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const outcomes: Record<string, number> = {};
  for (const s of samples) outcomes[s.outcome] = (outcomes[s.outcome] ?? 0) + 1;
  return {
    count: samples.length,
    successRate: samples.length ? (outcomes.ok ?? 0) / samples.length : 0,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    outcomes,
  };
}

/** Latency at quantile `q` (0-1) of a set of samples. */
export function latencyAt(samples: readonly Sample[], q: number): number {
  return percentile(
    samples.map((s) => s.ms).sort((a, b) => a - b),
    q,
  );
}

/** Nearest-rank percentile of an ascending array; 0 for no samples. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/**
 * One client, back to back, until the first `ok` (or `maxMs`): how long recovery takes and what the
 * calls before it saw.
 */
export async function untilFirstOk(call: Call, maxMs: number): Promise<{ ms: number; before: Sample[] }> {
  let ok = false;
  const start = performance.now();
  const samples = await runClosedLoop({
    clients: 1,
    durationMs: maxMs,
    until: () => ok,
    call: async () => {
      const outcome = await call();
      ok = outcome === 'ok';
      return outcome;
    },
  });
  return {
    ms: ok ? performance.now() - start : Number.POSITIVE_INFINITY,
    before: samples.filter((s) => s.outcome !== 'ok'),
  };
}
