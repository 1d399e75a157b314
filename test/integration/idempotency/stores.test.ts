import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { IdempotencyStore } from '../../../platform/idempotency/IdempotencyStore';
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
    await store.claim(s, options);
    await store.complete(s, 'f1', { kind: 'success', data: { refundIds: ['1'] } }, options.ttlMs);
    await expect(store.claim(s, options)).resolves.toEqual({
      kind: 'completed',
      outcome: { kind: 'success', data: { refundIds: ['1'] } },
    });
    await expect(store.claim(s, { ...options, fingerprint: 'f2' })).resolves.toEqual({ kind: 'mismatch' });
  });

  it('scopes keys by user and operation', async () => {
    const s = scope();
    await store.claim(s, options);
    await expect(store.claim({ ...s, user: 'learner2' }, options)).resolves.toEqual({
      kind: 'claimed',
      takeover: false,
    });
    await expect(store.claim({ ...s, operation: 'fulfillOrder' }, options)).resolves.toEqual({
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
    await expect(store.claim(s, options)).resolves.toEqual({ kind: 'claimed', takeover: true });
  });

  it('forgets a released claim', async () => {
    const s = scope();
    await store.claim(s, options);
    await store.release(s);
    await expect(store.claim(s, options)).resolves.toEqual({ kind: 'claimed', takeover: false });
  });
});
