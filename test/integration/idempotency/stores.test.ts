import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { IdempotencyScope, IdempotencyStore } from '../../../platform/idempotency/IdempotencyStore';
import { MemoryIdempotencyStore } from '../../../platform/idempotency/MemoryIdempotencyStore';
import { RedisIdempotencyStore } from '../../../platform/idempotency/RedisIdempotencyStore';

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
