import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** What the load worker is asked to do: one fixed-time autocannon run. */
export interface LoadJob {
  url: string;
  connections: number;
  durationS: number;
  /** The same JSON body every time; only the caller changes. */
  body: string;
  /** Pre-signed `Authorization` values, used round-robin so requests spread over many learners. */
  authorizations: string[];
  /** Sent with every request besides content-type and the token (e.g. the client's name). */
  headers?: Readonly<Record<string, string>>;
}

export interface LoadResult {
  durationS: number;
  /** Responses received (any status). */
  completed: number;
  /** 2xx responses with the page and no error: what a learner would call a working page. */
  good: number;
  non2xx: number;
  /** 2xx responses whose body carries a GraphQL `errors` array (or no usable data). */
  graphqlErrors: number;
  /** Connection errors, timeouts included. */
  transportErrors: number;
  timeouts: number;
  /** Of all 2xx responses, GraphQL errors included (autocannon's own histogram). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Of good responses only: a client that fails fast must not look fast. */
  goodLatencyMs: { p50: number; p90: number; p99: number };
  statusCodes: Record<string, number>;
  /** Error kind (`HTTP 200 CODE: message`, `transport: …`) → count, first ten kinds: says why a run is red. */
  errorKinds: Record<string, number>;
}

type WorkerMessage = { type: 'result'; result: LoadResult } | { type: 'error'; message: string };

export interface LoadWorker {
  pid: number;
  run(job: LoadJob): Promise<LoadResult>;
  stop(): void;
}

/**
 * Forks the load generator into its own process: on a small machine autocannon's CPU would otherwise
 * be charged to (and compete inside) whatever process measures, and its pid lets us report its CPU too.
 */
export async function startLoadWorker(onExit: (code: number | null) => void): Promise<LoadWorker> {
  const child: ChildProcess = fork(join(__dirname, 'loadWorker.js'), [], { stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  let pending: { resolve: (r: LoadResult) => void; reject: (e: Error) => void } | undefined;
  child.on('message', (message: WorkerMessage) => {
    const waiting = pending;
    pending = undefined;
    if (message.type === 'result') waiting?.resolve(message.result);
    else waiting?.reject(new Error(`load worker: ${message.message}`));
  });
  child.on('exit', (code) => {
    pending?.reject(new Error(`load worker exited (code ${code}) mid-run`));
    pending = undefined;
    onExit(code);
  });
  return {
    pid: child.pid!,
    run: (job) =>
      new Promise<LoadResult>((resolve, reject) => {
        if (pending) return reject(new Error('load worker is busy'));
        pending = { resolve, reject };
        child.send({ type: 'run', job });
      }),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
