import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { parseApqConfig } from '../../../gateway/safelist/apqConfig';
import { boundedApqCache } from '../../../gateway/safelist/boundedApqCache';
import { configError } from '../../helpers/configError';

function recording() {
  const sets: { key: string; bytes: number; ttl: number | null | undefined }[] = [];
  const inner: KeyValueCache<string> = {
    get: async () => undefined,
    set: async (key: string, value: string, options?: KeyValueCacheSetOptions) =>
      void sets.push({ key, bytes: value.length, ttl: options?.ttl }),
    delete: async () => true,
  };
  return { inner, sets };
}

describe('boundedApqCache: whoever calls set', () => {
  const apq = parseApqConfig({ APQ_MAX_BYTES: '100', APQ_TTL_SECONDS: '60' });

  it('stores nothing over APQ_MAX_BYTES, counted in UTF-8 bytes', async () => {
    const { inner, sets } = recording();
    const cache = boundedApqCache(inner, apq);
    await cache.set('apq:a', 'x'.repeat(100));
    await cache.set('apq:b', 'x'.repeat(101));
    // 51 characters, 102 bytes.
    await cache.set('apq:c', `${'é'.repeat(50)}x`);
    expect(sets.map((s) => s.key)).toEqual(['apq:a']);
  });

  it.each([
    ['no TTL (Apollo passes none without persistedQueries.ttl)', undefined, 60],
    ['a null TTL ("forever")', null, 60],
    ['a longer TTL', 86_400, 60],
    ['a shorter TTL', 10, 10],
  ])('gives %s at most APQ_TTL_SECONDS', async (_name, ttl, expected) => {
    const { inner, sets } = recording();
    await boundedApqCache(inner, apq).set('apq:a', 'q', ttl === undefined ? undefined : { ttl });
    expect(sets[0]?.ttl).toBe(expected);
  });
});

describe('APQ configuration', () => {
  it('defaults to an hour, 8 KiB and 20 registrations an hour', () => {
    expect(parseApqConfig({})).toEqual({ ttlSeconds: 3600, maxBytes: 8192, registrationsPerHour: 20 });
  });

  it.each([
    ['APQ_TTL_SECONDS', '0'],
    ['APQ_TTL_SECONDS', 'forever'],
    ['APQ_MAX_BYTES', String(2 * 1024 * 1024)],
    ['APQ_REGISTRATIONS_PER_HOUR', '-1'],
  ])('stops start-up on %s=%s, naming it', (name, value) => {
    expect(configError(() => parseApqConfig({ [name]: value }))).toContain(`${name}=`);
  });
});
