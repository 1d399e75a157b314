import { MemoryIdempotencyStore } from '../../idempotency/MemoryIdempotencyStore';

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

// Memory stays bounded by the replay window: each claim sweeps up to 21 of the oldest records, and a
// record is expired from its expiry time on (the same instant `live()` stops answering with it).
it('sweeps expired records a batch at a time as claims come in', async () => {
  let now = 0;
  const store = new MemoryIdempotencyStore(() => now);
  const claim = (key: string) =>
    store.claim(
      { user: 'learner1', operation: 'requestRefund', key },
      { fingerprint: 'f', ttlMs: 1000, leaseMs: 500 },
    );
  for (let i = 0; i < 30; i++) await claim(`old-${i}`);
  expect(store.size).toBe(30);
  now = 999;
  await claim('fresh-1');
  expect(store.size).toBe(31);
  now = 1000;
  await claim('fresh-2');
  expect(store.size).toBe(30 - 21 + 2);
  await claim('fresh-3');
  // The other 9 expired ones go; the two live ones stay.
  expect(store.size).toBe(3);
});
