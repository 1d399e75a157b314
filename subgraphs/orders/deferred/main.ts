import { createLogger } from '../../../platform/createLogger';
import { ConfigError } from '../../../platform/config/ConfigError';
import { runMain } from '../../../platform/runMain';
import { parseOrdersConfig } from '../ordersConfig';
import { startRefundWorker } from './startRefundWorker';

// The deferred-refund worker, its own process: the orders subgraph's configuration, plus Redis.
runMain(async () => {
  const config = parseOrdersConfig(process.env);
  const { redisUrl } = config.mutations;
  if (!redisUrl)
    throw new ConfigError(
      'Invalid configuration:\n  REDIS_URL="": the refund worker needs Redis (the durable queue)',
    );
  return startRefundWorker(config, redisUrl, createLogger('refund-worker', config.logLevel));
});
