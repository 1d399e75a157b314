import type * as ioredisModule from 'ioredis';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { parseRedisTarget } from './redisTarget';

/**
 * A Redis client that fails fast while disconnected (no offline queue: a command during an outage
 * errors at once instead of hanging a request) and logs outages once, not once per reconnect attempt.
 * `url` is REDIS_URL: one server, Sentinels (the client follows a failover) or a Cluster
 * (platform/redis/redisTarget.ts).
 *
 * A Cluster client is returned as `Redis`: it answers the same commands, and every caller here keeps
 * each operation on one key or on keys sharing a hash tag (BullMQ's `{prefix}`), which is what a
 * Cluster needs (configuration doc, REDIS_URL).
 */
export function createRedisClient(
  url: string,
  purpose: string,
  logger: Logger,
  extra: RedisOptions = {},
): Redis {
  const options: RedisOptions = {
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  };
  const target = parseRedisTarget(url);
  // Loaded on first use: a component without REDIS_URL never needs it, and loading it costs about
  // 18 MiB of resident memory per process (bench/PROFILE.md, "Change 5").
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Redis, Cluster } = require('ioredis') as typeof ioredisModule;
  let client: Redis;
  switch (target.kind) {
    case 'single':
      client = new Redis(url, options);
      break;
    case 'sentinel':
      client = new Redis({
        ...options,
        sentinels: target.sentinels,
        name: target.name,
        db: target.db,
        password: target.password,
        sentinelPassword: target.password,
        ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
      });
      break;
    case 'cluster': {
      const { enableOfflineQueue, retryStrategy, ...perNode } = options;
      client = new Cluster(target.nodes, {
        enableOfflineQueue,
        clusterRetryStrategy: retryStrategy,
        redisOptions: { ...perNode, password: target.password, ...(target.tls ? { tls: {} } : {}) },
      }) as unknown as Redis;
      break;
    }
  }
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn({ redis: purpose, err: error.message }, 'redis unavailable');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ redis: purpose }, 'redis available again');
    down = false;
  });
  return client;
}
