import Redis from 'ioredis';
import type { Logger } from 'pino';
import { signToken } from '../../../platform/auth/signToken';
import { createMutationInfra } from '../mutations/createMutationInfra';
import type { OrdersConfig } from '../ordersConfig';
import { selectOrdersBackend } from '../selectOrdersBackend';
import { createRefundWorker } from './createRefundWorker';

/**
 * A deferred-refund worker with its own backends and Redis connections (the same configuration as
 * the orders subgraph). Used by the worker process and, in-process, by `npm start`.
 */
export function startRefundWorker(
  config: OrdersConfig,
  redisUrl: string,
  logger: Logger,
): { stop(): Promise<void> } {
  const { writesFor, upstreams } = selectOrdersBackend(config, logger);
  const infra = createMutationInfra(config.mutations, writesFor, logger);
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const worker = createRefundWorker({
    connection,
    prefix: config.mutations.queuePrefix,
    logger,
    maxAgeMs: config.mutations.refundMaxAgeMs,
    baseDelayMs: config.mutations.refundRetryBaseMs,
    maxDelayMs: config.mutations.refundRetryMaxMs,
    lockDurationMs: config.mutations.workerLockMs,
    // A staff service user (like Open edX's ecommerce_worker), with a fresh short token per delivery.
    deliver: (job) => {
      const username = config.mutations.workerUsername;
      const token = signToken(username, config.jwt, { staff: true, expiresInSeconds: 300 });
      return infra.mutations.deliverDeferred(job, { username, isStaff: true, token });
    },
  });
  logger.info({ queuePrefix: config.mutations.queuePrefix }, 'refund worker started');
  return {
    stop: async () => {
      await worker.close();
      await infra.close();
      await connection.quit().catch(() => connection.disconnect());
      await Promise.all(upstreams.map((u) => u.close()));
      logger.info('refund worker stopped');
    },
  };
}
