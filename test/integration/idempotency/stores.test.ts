import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  recordKey,
  type IdempotencyScope,
  type IdempotencyStore,
} from '../../../idempotency/IdempotencyStore';
import { MemoryIdempotencyStore } from '../../../idempotency/MemoryIdempotencyStore';
import { RedisIdempotencyStore } from '../../../idempotency/RedisIdempotencyStore';

// The same assertions against both stores; Redis is the real server on 127.0.0.1:6379.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let clock = 1_000_000;
const now = () => clock;

const stores: [string, () => IdempotencyStore][] = [
  ['memory', () => new MemoryIdempotencyStore(now)],
  ['redis', () => new RedisIdempotencyStore(new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }), now)],
];

describe.each(stores)('%s idempotency store', (_name, make) => {
  let store: IdempotencyStore;
  const options = { fingerprint: 'f1', ttlMs: 86_400_000, leaseMs: 30_000 };
  const scope = () => ({ user: 'learner1', operation: 'requestRefund', key: randomUUID() });
  /** Claims and insists it was granted: the token is what later writes must show. */
  const claimed = async (s: IdempotencyScope) => {
    const result = await store.claim(s, options);
    if (result.kind !== 'claimed') throw new Error(`expected a claim, got ${result.kind}`);
    return result;
  };
  beforeEach(() => {
    store = make();
  });
  afterEach(() => store.close());

  it('grants exactly one of 50 concurrent claims', async () => {
    const s = scope();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.claim(s, options)));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in_flight')).toHaveLength(49);
  });

  it('replays the stored outcome and refuses other arguments', async () => {
    const s = scope();
    const { token } = await claimed(s);
    await expect(
      store.complete(
        s,
        token,
        'f1',
        { kind: 'success', data: { refundIds: ['1'], empty: [] } },
        options.ttlMs,
      ),
    ).resolves.toBe(true);
    await expect(store.claim(s, options)).resolves.toEqual({
      kind: 'completed',
      outcome: { kind: 'success', data: { refundIds: ['1'], empty: [] } },
    });
    await expect(store.claim(s, { ...options, fingerprint: 'f2' })).resolves.toEqual({ kind: 'mismatch' });
  });

  it('scopes keys by user and operation', async () => {
    const s = scope();
    await store.claim(s, options);
    await expect(store.claim({ ...s, user: 'learner2' }, options)).resolves.toMatchObject({
      kind: 'claimed',
      takeover: false,
    });
    await expect(store.claim({ ...s, operation: 'fulfillOrder' }, options)).resolves.toMatchObject({
      kind: 'claimed',
      takeover: false,
    });
  });

  it('lets a retry take over an in-flight claim whose lease ran out (the process died)', async () => {
    const s = scope();
    await store.claim(s, options);
    clock += 29_999;
    await expect(store.claim(s, options)).resolves.toEqual({ kind: 'in_flight' });
    clock += 2;
    await expect(store.claim(s, options)).resolves.toMatchObject({ kind: 'claimed', takeover: true });
  });

  it('forgets a released claim', async () => {
    const s = scope();
    const { token } = await claimed(s);
    await expect(store.release(s, token)).resolves.toBe(true);
    await expect(store.claim(s, options)).resolves.toMatchObject({ kind: 'claimed', takeover: false });
  });

  it('makes the next claim after an abandon a takeover, at once', async () => {
    const s = scope();
    const { token } = await claimed(s);
    await expect(store.abandon(s, token, 'f1', options.ttlMs)).resolves.toBe(true);
    await expect(store.claim(s, options)).resolves.toMatchObject({ kind: 'claimed', takeover: true });
  });

  it("refuses a slow attempt's writes once a retry has taken its claim over", async () => {
    const s = scope();
    const slow = await claimed(s);
    clock += options.leaseMs + 1;
    const retry = await claimed(s);
    expect(retry.takeover).toBe(true);
    expect(retry.token).not.toBe(slow.token);
    // The slow attempt finally answers: none of its writes may touch the retry's record.
    const late = { kind: 'success' as const, data: { refundIds: ['late'] } };
    await expect(store.complete(s, slow.token, 'f1', late, options.ttlMs)).resolves.toBe(false);
    await expect(store.abandon(s, slow.token, 'f1', options.ttlMs)).resolves.toBe(false);
    await expect(store.release(s, slow.token)).resolves.toBe(false);
    await expect(store.claim(s, options)).resolves.toEqual({ kind: 'in_flight' });
    const own = { kind: 'success' as const, data: { refundIds: ['7'] } };
    await expect(store.complete(s, retry.token, 'f1', own, options.ttlMs)).resolves.toBe(true);
    await expect(store.claim(s, options)).resolves.toEqual({ kind: 'completed', outcome: own });
  });

  it('refuses every write to a record that is gone', async () => {
    const s = scope();
    const { token } = await claimed(s);
    await store.release(s, token);
    await expect(
      store.complete(s, token, 'f1', { kind: 'success', data: null }, options.ttlMs),
    ).resolves.toBe(false);
    await expect(store.claim(s, options)).resolves.toMatchObject({ kind: 'claimed', takeover: false });
  });
});

describe('how long records live', () => {
  const scope = () => ({ user: 'learner1', operation: 'requestRefund', key: randomUUID() });
  const options = { fingerprint: 'f1', ttlMs: 600_000, leaseMs: 30_000 };
  const done = { kind: 'success' as const, data: { refundIds: ['1'] } };

  it('memory: an in-flight, abandoned or completed record lives exactly for the TTL it was last given', async () => {
    const store = new MemoryIdempotencyStore(now);
    const s = scope();
    await store.claim(s, options);
    clock += options.ttlMs - 1;
    await expect(store.claim(s, options)).resolves.toMatchObject({ kind: 'claimed', takeover: true });
    clock += options.ttlMs;
    const fresh = await store.claim(s, options);
    expect(fresh).toMatchObject({ kind: 'claimed', takeover: false });
    const token = (fresh as { token: string }).token;
    await expect(store.abandon(s, token, 'f1', 1_000)).resolves.toBe(true);
    clock += 999;
    // Abandoned: the next claim is a takeover at once, with a new token the old one cannot write over.
    const taken = await store.claim(s, options);
    expect(taken).toMatchObject({ kind: 'claimed', takeover: true });
    await expect(store.complete(s, token, 'f1', done, 5_000)).resolves.toBe(false);
    await expect(store.complete(s, (taken as { token: string }).token, 'f1', done, 5_000)).resolves.toBe(
      true,
    );
    clock += 4_999;
    await expect(store.claim(s, options)).resolves.toEqual({ kind: 'completed', outcome: done });
    clock += 1;
    await expect(store.claim(s, options)).resolves.toMatchObject({ kind: 'claimed', takeover: false });
  });

  it('memory: the lease ends exactly at its length, like the Redis script’s `l > now`', async () => {
    const store = new MemoryIdempotencyStore(now);
    const s = scope();
    await store.claim(s, options);
    clock += options.leaseMs;
    await expect(store.claim(s, options)).resolves.toMatchObject({ kind: 'claimed', takeover: true });
  });

  it('memory: a write to an expired record fails, and its key is free again', async () => {
    const store = new MemoryIdempotencyStore(now);
    const old = scope();
    const claim = (await store.claim(old, options)) as { token: string };
    clock += options.ttlMs;
    await expect(store.release(old, claim.token)).resolves.toBe(false);
    await expect(store.claim(old, options)).resolves.toMatchObject({ kind: 'claimed', takeover: false });
  });

  it('redis: each write sets the key to expire after the TTL it was given', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const store = new RedisIdempotencyStore(new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }), now);
    try {
      const s = scope();
      const key = recordKey(s);
      const between = async (low: number, high: number) => {
        const ttl = await redis.pttl(key);
        expect(ttl).toBeGreaterThan(low);
        expect(ttl).toBeLessThanOrEqual(high);
      };
      const { token } = (await store.claim(s, options)) as { token: string };
      await between(options.ttlMs - 60_000, options.ttlMs);
      await expect(store.abandon(s, token, 'f1', 120_000)).resolves.toBe(true);
      await between(60_000, 120_000);
      const taken = (await store.claim(s, { ...options, ttlMs: 240_000 })) as {
        token: string;
        takeover: boolean;
      };
      expect(taken.takeover).toBe(true);
      await between(180_000, 240_000);
      await expect(store.complete(s, taken.token, 'f1', done, 3_600_000)).resolves.toBe(true);
      await between(3_540_000, 3_600_000);
      await expect(store.release(s, taken.token)).resolves.toBe(true);
      expect(await redis.exists(key)).toBe(0);
    } finally {
      await store.close();
      await redis.quit();
    }
  });
});
