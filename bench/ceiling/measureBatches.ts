import { PerformanceObserver } from 'node:perf_hooks';
import { cpuTimeMs, machineBusyMs } from '../processStats';
import type { CeilingVariant } from './CeilingVariant';
import type { LoadDriver } from './startLoadDriver';

/** MEASUREMENT ONLY (bench/executionCeiling.ts): one batch of one variant. */
export interface Batch {
  /** This process's user + system CPU (process.cpuUsage) ÷ pages, in µs: the server side only. */
  cpuUsPerPage: number;
  /** Garbage-collection pauses in this process (perf_hooks `gc` entries) ÷ pages, in µs. */
  gcUsPerPage: number;
  /** Wall time ÷ pages at the batch's concurrency, in ms. */
  wallMsPerPage: number;
  pages: number;
  errors: number;
  firstError?: string;
  /** Cores used by processes other than this one and its children (simulators, load driver). */
  othersCores: number;
  /** Date.now() at the batch's start and end: places it inside a CPU profile (CEILING_PROFILE). */
  startedAtMs: number;
  endedAtMs: number;
}

export interface BatchSettings {
  batches: number;
  pages: number;
  concurrency: number;
}

/**
 * Interleaved batches: in round r every variant runs one batch, the starting variant rotating from
 * round to round (A B C D, B C D A, …) so that none always inherits another's garbage or follows the
 * same one. Between batches nothing else runs in this process.
 */
export async function measureBatches(
  variants: readonly CeilingVariant[],
  driver: LoadDriver,
  settings: BatchSettings,
  log: (line: string) => void,
): Promise<Map<CeilingVariant['id'], Batch[]>> {
  const results = new Map<CeilingVariant['id'], Batch[]>(variants.map((v) => [v.id, []]));
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  try {
    await rounds(variants, driver, settings, log, results);
  } finally {
    gc.disconnect();
  }
  return results;
}

/** Total GC pause time observed so far, in ms (the observer above adds to it). */
let gcMs = 0;

async function rounds(
  variants: readonly CeilingVariant[],
  driver: LoadDriver,
  settings: BatchSettings,
  log: (line: string) => void,
  results: Map<CeilingVariant['id'], Batch[]>,
): Promise<void> {
  for (let round = 0; round < settings.batches; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length]!;
      const batch = await oneBatch(variant, driver, settings);
      results.get(variant.id)!.push(batch);
      log(
        `round ${round + 1} ${variant.id}: ${batch.cpuUsPerPage.toFixed(0)} µs CPU/page, ` +
          `${batch.gcUsPerPage.toFixed(0)} µs GC/page, ${batch.wallMsPerPage.toFixed(2)} ms wall/page, ` +
          `${batch.errors} errors, ` +
          `others ${batch.othersCores.toFixed(2)} cores`,
      );
    }
  }
}

async function oneBatch(
  variant: CeilingVariant,
  driver: LoadDriver,
  settings: BatchSettings,
): Promise<Batch> {
  const busyBefore = machineBusyMs();
  const oursBefore = cpuTimeMs(process.pid);
  const startedAtMs = Date.now();
  const gcBefore = gcMs;
  const before = process.cpuUsage();
  const started = process.hrtime.bigint();
  const reply = await driver.ask(
    { kind: 'batch', url: variant.url, pages: settings.pages, concurrency: settings.concurrency },
    'batch',
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(before);
  const endedAtMs = Date.now();
  // Entries are delivered asynchronously: let the batch's last ones arrive before reading the total.
  await new Promise((resolve) => setImmediate(resolve));
  const gcUs = (gcMs - gcBefore) * 1000;
  // This process with its children (the simulators and the driver) against the whole machine.
  const others = machineBusyMs() - busyBefore - (cpuTimeMs(process.pid) - oursBefore);
  return {
    cpuUsPerPage: (used.user + used.system) / reply.pages,
    gcUsPerPage: gcUs / reply.pages,
    wallMsPerPage: wallMs / reply.pages,
    pages: reply.pages,
    errors: reply.errors,
    ...(reply.firstError ? { firstError: reply.firstError } : {}),
    othersCores: Math.max(0, others) / wallMs,
    startedAtMs,
    endedAtMs,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
