import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis client that fails fast while disconnected (no offline queue: a command during an outage
 * errors at once instead of hanging a request) and logs outages once, not once per reconnect attempt.
 */
export function createRedisClient(
  url: string,
  purpose: string,
  logger: Logger,
  extra: RedisOptions = {},
): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
  let down = false;
  client.on('error', (error) => {
    if (!down) logger.warn({ redis: purpose, err: error.message }, 'redis unavailable');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ redis: purpose }, 'redis available again');
    down = false;
  });
  return client;
}
