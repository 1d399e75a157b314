import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type Redis from 'ioredis';
import type { GatewayConfig } from '../gatewayConfig';
import type { ApqConfig } from './apqConfig';
import { boundedApqCache } from './boundedApqCache';
import { manifestFirstCache } from './manifestFirstCache';
import { redisKeyValueCache } from './redisKeyValueCache';

/** Key prefix of APQ registrations in a shared Redis. */
export const APQ_REDIS_PREFIX = 'switchyard:gateway:';

/**
 * Where the gateway keeps APQ registrations: the gateway's Redis when it has one (shared by every
 * instance; with Redis down a hash is a miss and the client resends its query, so reads keep working),
 * else a bounded in-memory LRU (Apollo Server's own default, per instance). Either way each entry is
 * at most APQ_MAX_BYTES and lives at most APQ_TTL_SECONDS (boundedApqCache). A safelist, when
 * configured, is consulted first.
 */
export function createApqCache(
  persistedQueries: GatewayConfig['persistedQueries'],
  redis: Redis | null,
  apq: ApqConfig,
): KeyValueCache<string> {
  const registered = boundedApqCache(
    redis ? redisKeyValueCache(redis, APQ_REDIS_PREFIX) : new InMemoryLRUCache<string>(),
    apq,
  );
  const manifest = persistedQueries.mode === 'off' ? null : persistedQueries.manifest;
  return manifest ? manifestFirstCache(manifest, registered) : registered;
}
