import type { Server } from 'node:http';
import { isConfigError } from './config/ConfigError';
import { env, parseEnv, type Env } from './config/parseEnv';
import { close } from './http/listen';
import { WORKER_SHUTDOWN, isWorkerMessage } from './cluster/workerMessages';

export interface Running {
  httpServer?: Server;
  /** The admin port's server (`/metrics`, `/status`), closed with the public one. */
  adminServer?: Server;
  /** Turns `/readyz` 503: the first step of a shutdown, while the servers still accept. */
  beginShutdown?(): void;
  stop(): Promise<void>;
}

/**
 * Runs a component's start-up, exiting 1 with a plain message on bad configuration, and stops it
 * cleanly on SIGINT/SIGTERM: `/readyz` turns 503, the servers keep accepting for SHUTDOWN_DELAY_MS (so
 * a load balancer that polls readiness stops sending first), then stop accepting and give in-flight
 * requests up to SHUTDOWN_GRACE_MS, and only then close pools (`stop`), so no request in flight loses
 * its upstream. Exits 0. A second signal forces the exit. `source` is the environment those two are
 * read from (main.ts hands it process.env); without one, no delay and 5 s.
 */
export function runMain(start: () => Promise<Running>, source: Env = {}): void {
  Promise.resolve()
    .then(async () => ({ shutdown: parseShutdownEnv(source), running: await start() }))
    .then(
      ({ shutdown: timing, running }) => {
        let stopping = false;
        const shutdown = () => {
          if (stopping) process.exit(130);
          stopping = true;
          running.beginShutdown?.();
          const servers = [running.httpServer, running.adminServer].filter((s): s is Server => !!s);
          new Promise((resolve) => setTimeout(resolve, timing.delayMs))
            .then(() => Promise.all(servers.map((server) => close(server, timing.graceMs))))
            .then(() => running.stop())
            .then(
              () => process.exit(0),
              () => process.exit(1),
            );
        };
        process.on('SIGINT', shutdown);
        process.on('SIGTERM', shutdown);
        // A cluster worker is also told by its primary (platform/cluster/), which may come on top of
        // the terminal's own SIGINT to the whole process group: not a second signal forcing the exit.
        process.on('message', (message: unknown) => {
          if (isWorkerMessage(message, WORKER_SHUTDOWN) && !stopping) shutdown();
        });
      },
      (error: unknown) => {
        process.stderr.write(
          `${isConfigError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exit(1);
      },
    );
}

/**
 * The delay defaults to 0: in Kubernetes the endpoint is removed when the pod starts terminating, and
 * the preStop sleep covers the propagation. Elsewhere, set it above the load balancer's readiness
 * polling interval.
 */
function parseShutdownEnv(source: Env): { delayMs: number; graceMs: number } {
  const parsed = parseEnv(
    {
      SHUTDOWN_DELAY_MS: env.nonNegativeInt(0, 120_000),
      SHUTDOWN_GRACE_MS: env.nonNegativeInt(5000, 120_000),
    },
    source,
  );
  return { delayMs: parsed.SHUTDOWN_DELAY_MS, graceMs: parsed.SHUTDOWN_GRACE_MS };
}
