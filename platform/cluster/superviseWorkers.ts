import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from 'pino';
import { createHttpServer } from '../http/createHttpServer';
import { sendJson } from '../http/sendJson';
import {
  STATUS_REQUEST,
  STATUS_RESPONSE,
  WORKER_READY,
  WORKER_SHUTDOWN,
  isWorkerMessage,
} from './workerMessages';

export interface SupervisorOptions {
  /** How many worker processes to keep running (COLOCATED_WORKERS). */
  workers: number;
  /** Named in `/status` and the logs. */
  component: string;
  logger: Logger;
  /** Before a worker that died unexpectedly is replaced. @default 1000 */
  restartDelayMs?: number;
  /** How long `/status` waits for each worker's answer. @default 2000 */
  statusTimeoutMs?: number;
}

export interface Supervisor {
  /** The admin port's routes, answered for every worker: not listening yet. */
  adminServer: Server;
  /** `/readyz` answers 503, and every worker is told to shut down (each drains as on SIGTERM). */
  beginShutdown(): void;
  /** Resolves once every worker has exited. */
  stop(): Promise<void>;
}

/**
 * The primary of a clustered component: forks the workers (node:cluster shares the public port among
 * them), replaces one that dies, and serves the admin port for all of them — `/metrics` summed over
 * the workers (prom-client's cluster aggregation), `/status` with one entry per worker, `/readyz`
 * ready while at least one worker listens and no shutdown has begun. It handles no request itself.
 */
export function superviseWorkers(options: SupervisorOptions): Supervisor {
  const { logger } = options;
  const restartDelayMs = options.restartDelayMs ?? 1000;
  const aggregator = new AggregatorRegistry();
  const ready = new Set<number>();
  let stopping = false;
  let exitedAll: (() => void) | undefined;
  const allExited = new Promise<void>((resolve) => (exitedAll = resolve));
  const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (isWorkerMessage(message, WORKER_READY)) ready.add(worker.id);
    });
  };
  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (live().length === 0) exitedAll?.();
      return;
    }
    logger.error(
      { pid: worker.process.pid, code, signal, restartInMs: restartDelayMs },
      `${options.component} worker exited unexpectedly; starting another`,
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, restartDelayMs);
  });
  for (let i = 0; i < options.workers; i++) fork();

  let statusRequests = 0;
  const statusOf = (worker: Worker) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const requestId = statusRequests++;
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        resolve({ pid: worker.process.pid, error: 'no answer' });
      }, options.statusTimeoutMs ?? 2000);
      const onMessage = (message: unknown) => {
        if (!isWorkerMessage(message, STATUS_RESPONSE) || message.requestId !== requestId) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve({ pid: worker.process.pid, ...message.status });
      };
      worker.on('message', onMessage);
      worker.send({ type: STATUS_REQUEST, requestId });
    });

  const isReady = () => !stopping && ready.size > 0;
  const adminServer = createHttpServer(
    {
      'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      'GET /readyz': (_req, res) =>
        sendJson(res, isReady() ? 200 : 503, {
          status: isReady() ? 'ready' : 'not ready',
          workers: { ready: ready.size, wanted: options.workers },
        }),
      'GET /metrics': async (_req, res) => {
        const body = await aggregator.clusterMetrics();
        res.writeHead(200, { 'content-type': aggregator.contentType });
        res.end(body);
      },
      'GET /status': async (_req, res) => {
        const workers = await Promise.all(
          live()
            .filter((w) => w.isConnected())
            .map(statusOf),
        );
        sendJson(res, 200, {
          component: options.component,
          degraded: workers.some((w) => w.degraded === true || w.error !== undefined),
          workers,
        });
      },
    },
    logger,
  );
  const beginShutdown = () => {
    if (stopping) return;
    stopping = true;
    if (live().length === 0) exitedAll?.();
    for (const worker of live()) if (worker.isConnected()) worker.send({ type: WORKER_SHUTDOWN });
  };
  return {
    adminServer,
    beginShutdown,
    stop: () => {
      beginShutdown();
      return allExited;
    },
  };
}
