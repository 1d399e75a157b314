import { MemoryIdempotencyStore } from '../../platform/idempotency/MemoryIdempotencyStore';

// T12: a result is replayed for the whole window and the key is new again after it (clock injected).
it('replays for the TTL, then treats the key as new', async () => {
  let now = 0;
  const store = new MemoryIdempotencyStore(() => now);
  const scope = { user: 'learner1', operation: 'requestRefund', key: 'k-00000001' };
  const day = 24 * 3_600_000;
  const claim = await store.claim(scope, { fingerprint: 'f', ttlMs: day, leaseMs: 15_000 });
  if (claim.kind !== 'claimed') throw new Error(`not claimed: ${claim.kind}`);
  await store.complete(scope, claim.token, 'f', { kind: 'success', data: { ok: 1 } }, day);
  now = day - 1;
  await expect(store.claim(scope, { fingerprint: 'f', ttlMs: day, leaseMs: 15_000 })).resolves.toEqual({
    kind: 'completed',
    outcome: { kind: 'success', data: { ok: 1 } },
  });
  now = day;
  await expect(store.claim(scope, { fingerprint: 'f', ttlMs: day, leaseMs: 15_000 })).resolves.toMatchObject({
    kind: 'claimed',
    takeover: false,
  });
});
