import type { Server } from 'node:http';
import { isConfigError } from './config/ConfigError';
import { close } from './http/listen';

export interface Running {
  httpServer?: Server;
  stop(): Promise<void>;
}

/**
 * Runs a component's start-up, exiting 1 with a plain message on bad configuration, and stops it
 * cleanly on SIGINT/SIGTERM (stop accepting, finish in-flight requests, close pools). A second
 * signal forces the exit.
 */
export function runMain(start: () => Promise<Running>): void {
  start().then(
    (running) => {
      let stopping = false;
      const shutdown = () => {
        if (stopping) process.exit(130);
        stopping = true;
        const servers = running.httpServer ? close(running.httpServer) : Promise.resolve();
        Promise.all([servers, running.stop()]).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    },
    (error: unknown) => {
      process.stderr.write(
        `${isConfigError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
