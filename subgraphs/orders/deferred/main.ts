import Redis from 'ioredis';
import { signToken } from '../../../platform/auth/signToken';
import { createLogger } from '../../../platform/createLogger';
import { ConfigError } from '../../../platform/config/ConfigError';
import { runMain } from '../../../platform/runMain';
import { createMutationInfra } from '../mutations/createMutationInfra';
import { parseOrdersConfig } from '../ordersConfig';
import { selectOrdersBackend } from '../selectOrdersBackend';
import { createRefundWorker } from './createRefundWorker';

// The deferred-refund worker, its own process: same configuration as the orders subgraph, plus Redis.
runMain(async () => {
  const config = parseOrdersConfig(process.env);
  const { redisUrl } = config.mutations;
  if (!redisUrl)
    throw new ConfigError(
      'Invalid configuration:\n  REDIS_URL="": the refund worker needs Redis (the durable queue)',
    );
  const logger = createLogger('refund-worker', config.logLevel);
  const { writesFor, upstreams } = selectOrdersBackend(config, logger);
  const infra = createMutationInfra(config.mutations, writesFor, logger);
  const worker = createRefundWorker({
    connection: new Redis(redisUrl, { maxRetriesPerRequest: null }),
    prefix: config.mutations.queuePrefix,
    logger,
    maxAgeMs: config.mutations.refundMaxAgeMs,
    baseDelayMs: config.mutations.refundRetryBaseMs,
    maxDelayMs: config.mutations.refundRetryMaxMs,
    lockDurationMs: config.mutations.workerLockMs,
    // The worker acts as a staff service user (like Open edX's ecommerce_worker), with a fresh short token per delivery.
    deliver: (job) => {
      const token = signToken(config.mutations.workerUsername, config.jwt, {
        staff: true,
        expiresInSeconds: 300,
      });
      return infra.mutations.deliverDeferred(job, {
        username: config.mutations.workerUsername,
        isStaff: true,
        token,
      });
    },
  });
  logger.info({ queuePrefix: config.mutations.queuePrefix }, 'refund worker started');
  return {
    stop: async () => {
      await worker.close();
      await infra.close();
      await Promise.all(upstreams.map((u) => u.close()));
    },
  };
});
