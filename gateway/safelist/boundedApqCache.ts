import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { ApqConfig } from './apqConfig';

/**
 * The last wall around APQ registrations, whoever calls `set`: nothing over `maxBytes` is stored, and
 * nothing is stored for longer than `ttlSeconds` (a missing or longer TTL is cut to it). The
 * registration guard (plugins/guardApqRegistrations.ts) refuses such a request with a coded error
 * first; this makes sure no path around it can park an unbounded value, or one without a TTL.
 */
export function boundedApqCache(inner: KeyValueCache<string>, apq: ApqConfig): KeyValueCache<string> {
  return {
    get: (key) => inner.get(key),
    async set(key: string, value: string, options?: KeyValueCacheSetOptions) {
      if (Buffer.byteLength(value, 'utf8') > apq.maxBytes) return;
      const asked = options?.ttl;
      const ttl = typeof asked === 'number' && asked > 0 ? Math.min(asked, apq.ttlSeconds) : apq.ttlSeconds;
      await inner.set(key, value, { ...options, ttl });
    },
    delete: (key) => inner.delete(key),
  };
}
