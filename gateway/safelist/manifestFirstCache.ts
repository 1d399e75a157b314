import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { PersistedQueryManifest } from './PersistedQueryManifest';

// Apollo Server prefixes every key it gives the APQ cache with this (APQ_CACHE_PREFIX in its request
// pipeline). test/integration/gateway/persistedQueries.test.ts fails if that ever changes.
const APQ_PREFIX = 'apq:';

/**
 * The APQ cache the gateway gives Apollo Server: a manifest operation is known by its id on every
 * instance from the start (a client may send only `extensions.persistedQuery.sha256Hash`); anything
 * else is looked up in, and registered into, `registered` — Redis when REDIS_URL is set, so a hash
 * registered through one gateway is known to all of them.
 */
export function manifestFirstCache(
  manifest: PersistedQueryManifest,
  registered: KeyValueCache<string>,
): KeyValueCache<string> {
  const fromManifest = (key: string) =>
    key.startsWith(APQ_PREFIX) ? manifest.get(key.slice(APQ_PREFIX.length))?.body : undefined;
  return {
    async get(key) {
      return fromManifest(key) ?? (await registered.get(key));
    },
    async set(key: string, value: string, options?: KeyValueCacheSetOptions) {
      if (fromManifest(key) === undefined) await registered.set(key, value, options);
    },
    async delete(key) {
      return registered.delete(key);
    },
  };
}
