import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Env } from '../platform/config/parseEnv';

export interface WorkerProcess {
  pid: number;
  /**
   * The worker's HTTP base URL (`/status`, `/healthz`, `/readyz`, `/metrics`) once it listens; null if
   * it exited first or did not say within `urlTimeoutMs`.
   */
  url: Promise<string | null>;
  /** SIGTERM, then waits for the worker's own clean stop; SIGKILL if it takes longer than `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

// Compiled next to this file: dist/scripts → dist/subgraphs/orders/worker/main.js.
const WORKER_ENTRY = join(__dirname, '..', 'subgraphs', 'orders', 'worker', 'main.js');

/**
 * The deferred-refund worker as its own process, as deployed: killing or restarting it leaves the
 * rest of the stack serving, and its jobs wait in Redis. It gets a process group of its own, so a
 * terminal's Ctrl-C reaches only the parent, which stops it exactly once (a second signal would
 * force the worker's exit mid-job); its log lines go to the parent's stdout. It says where it listens
 * (REFUND_WORKER_PORT may be 0) over an IPC channel, so whatever LOG_LEVEL hides, the parent learns it.
 */
export function startWorkerProcess(
  env: Env,
  onUnexpectedExit: (code: number | null) => void,
  urlTimeoutMs = 10_000,
): WorkerProcess {
  const child = spawn(process.execPath, [WORKER_ENTRY], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
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

  let announce: (url: string | null) => void = () => undefined;
  const url = new Promise<string | null>((resolve) => (announce = resolve));
  const timer = setTimeout(() => announce(null), urlTimeoutMs);
  void exited.then(() => announce(null));
  child.on('message', (message: { listening?: unknown }) => {
    if (typeof message?.listening === 'string') announce(message.listening);
  });
  void url.then(() => {
    clearTimeout(timer);
    // The one message it sends is in; an open channel would only keep both processes tied.
    if (child.connected) child.disconnect();
  });

  return {
    pid: child.pid,
    url,
    stop: async (graceMs = 10_000) => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(kill);
      }
      process.off('exit', killOnExit);
    },
  };
}
