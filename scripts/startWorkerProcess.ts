import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Env } from '../platform/config/parseEnv';

export interface WorkerProcess {
  pid: number;
  /** SIGTERM, then waits for the worker's own clean stop; SIGKILL if it takes longer than `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

// Compiled next to this file: dist/scripts → dist/subgraphs/orders/deferred/main.js.
const WORKER_ENTRY = join(__dirname, '..', 'subgraphs', 'orders', 'deferred', 'main.js');

/**
 * The deferred-refund worker as its own process, as deployed: killing or restarting it leaves the
 * rest of the stack serving, and its jobs wait in Redis. It gets a process group of its own, so a
 * terminal's Ctrl-C reaches only the parent, which stops it exactly once (a second signal would
 * force the worker's exit mid-job); its log lines go to the parent's stdout.
 */
export function startWorkerProcess(env: Env, onUnexpectedExit: (code: number | null) => void): WorkerProcess {
  const child = spawn(process.execPath, [WORKER_ENTRY], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    if (!stopping) onUnexpectedExit(code);
  });
  child.once('error', () => onUnexpectedExit(null));
  // Whatever ends the parent (an uncaught error, process.exit), it does not leave an orphan behind.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  if (child.pid === undefined) throw new Error(`could not start the refund worker (${WORKER_ENTRY})`);
  return {
    pid: child.pid,
    stop: async (graceMs = 10_000) => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
    },
  };
}
