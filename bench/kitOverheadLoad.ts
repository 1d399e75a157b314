import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

// The open-loop load generator of the kit-overhead measurement, its own process so its CPU is not
// the measured server's. One job per IPC message: requests at evenly spaced intended times, taking
// the paths in turn (so the variants compared share the same seconds of contention on a shared box,
// without queueing behind each other), whether or not the earlier ones answered; each latency counts from its intended time, so a stalled server is charged
// with the queue it built (no coordinated omission).

export interface OverheadLoadJob {
  origin: string;
  paths: string[];
  /** Requests per second in all, the paths taking turns. */
  ratePerSec: number;
  durationMs: number;
}

export interface OverheadLoadResult {
  /** Per path, in the job's order. */
  latenciesMs: number[][];
  /** Per path, like latenciesMs: non-200 answers and transport failures. */
  errors: number[];
  elapsedMs: number;
}

process.on('message', (job: OverheadLoadJob) => {
  void run(job).then((result) => process.send?.(result));
});

async function run(job: OverheadLoadJob): Promise<OverheadLoadResult> {
  const pool = new Pool(job.origin, { connections: 256 });
  const total = Math.round((job.ratePerSec * job.durationMs) / 1000);
  const interval = 1000 / job.ratePerSec;
  const latenciesMs = job.paths.map((): number[] => []);
  const errors = job.paths.map(() => 0);
  const pending: Promise<void>[] = [];
  const fire = (index: number, intended: number) =>
    pool
      .request({ method: 'GET', path: job.paths[index]! })
      .then(async (response) => {
        await response.body.text();
        if (response.statusCode === 200) latenciesMs[index]!.push(performance.now() - intended);
        else errors[index]!++;
      })
      .catch(() => void errors[index]!++);
  const start = performance.now();
  let tick = 0;
  while (tick < total) {
    const now = performance.now();
    for (; tick < total && start + tick * interval <= now; tick++) {
      pending.push(fire(tick % job.paths.length, start + tick * interval));
    }
    await sleep(1);
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - start;
  await pool.close();
  return { latenciesMs, errors, elapsedMs };
}
