import { createLogger } from '../../../platform/createLogger';
import { ConfigError } from '../../../platform/config/ConfigError';
import { listen } from '../../../platform/http/listen';
import { runMain } from '../../../platform/runMain';
import { parseTracingConfig } from '../../../platform/tracing/tracingConfig';
import { parseOrdersConfig } from '../config/ordersConfig';
import { startRefundWorker } from './startRefundWorker';

// The deferred-refund worker, its own process: the orders subgraph's configuration, plus Redis, and a
// small HTTP server (REFUND_WORKER_PORT) for probes, /status and Prometheus.
runMain(async () => {
  const config = parseOrdersConfig(process.env);
  const { redisUrl } = config.mutations;
  if (!redisUrl)
    throw new ConfigError(
      'Invalid configuration:\n  REDIS_URL="": the refund worker needs Redis (the durable queue)',
    );
  const logger = createLogger('refund-worker', config.logLevel);
  const worker = startRefundWorker(config, redisUrl, logger, {
    tracing: parseTracingConfig(process.env, 'switchyard-refund-worker'),
  });
  // Listening does not wait for Redis: /healthz and /readyz (503) must answer while it is unreachable.
  // A port taken stops start-up, after a clean stop of the worker that may already hold a job.
  const url = await listen(worker.httpServer, config.mutations.workerPort, '0.0.0.0').catch(
    async (error: unknown) => {
      await worker.stop();
      throw error;
    },
  );
  logger.info({ url }, 'refund worker listening');
  // Started by `npm start` (scripts/startWorkerProcess.ts): its banner shows this URL, whatever LOG_LEVEL.
  process.send?.({ listening: url });
  // No httpServer handed to runMain: it would close the listener at once, beside stop(). stop() turns
  // /readyz 503, drains the active deliveries and then closes the server itself.
  return { stop: worker.stop };
}, process.env);
