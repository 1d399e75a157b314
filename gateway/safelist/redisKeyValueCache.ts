import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type Redis from 'ioredis';

/**
 * Apollo's cache interface over Redis, for APQ registrations shared by every gateway instance. Keys
 * carry `prefix` so several deployments can share one Redis. With Redis down a registered hash is a
 * miss (the client resends its query) and a registration is dropped, never an error: the outage is
 * logged once by the client (createRedisClient) rather than once per request.
 */
export function redisKeyValueCache(redis: Redis, prefix: string): KeyValueCache<string> {
  return {
    async get(key) {
      return (await redis.get(prefix + key).catch(() => null)) ?? undefined;
    },
    async set(key: string, value: string, options?: KeyValueCacheSetOptions) {
      const ttl = options?.ttl;
      const write = ttl
        ? redis.set(prefix + key, value, 'EX', Math.ceil(ttl))
        : redis.set(prefix + key, value);
      await write.catch(() => undefined);
    },
    async delete(key) {
      return (await redis.del(prefix + key).catch(() => 0)) > 0;
    },
  };
}
