import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import { canonicalJson, fingerprint } from '../../../idempotency/fingerprint';
import type { IdempotencyStore } from '../../../idempotency/IdempotencyStore';
import { MemoryIdempotencyStore } from '../../../idempotency/MemoryIdempotencyStore';
import { isReplayedError } from '../../../idempotency/ReplayedError';
import { runIdempotent, type IdempotentCall } from '../../../idempotency/runIdempotent';
import { UpstreamError } from '../../../upstream/UpstreamError';

// runIdempotent's decisions, path by path, on the in-memory store with an injected clock: what runs,
// what is kept, what a retry then sees, and the audit event each path leaves (the audit trail is how
// an operator tells a replay from a refusal). The HTTP-level behaviour is in test/integration.
const TTL = 60_000;
const LEASE = 15_000;
const scope = { user: 'learner1', operation: 'requestRefund', key: 'key-0000001' };

function harness(store?: IdempotencyStore) {
  let clock = 1_000_000;
  const memory = new MemoryIdempotencyStore(() => clock);
  const audit: [string, Record<string, unknown> | undefined][] = [];
  const calls = { execute: 0, authorize: 0, reconcile: 0 };
  const run = (overrides: Partial<IdempotentCall<unknown>> = {}) =>
    runIdempotent<unknown>({
      store: store ?? memory,
      scope,
      args: { orderNumber: 'EDX-100042' },
      ttlMs: TTL,
      leaseMs: LEASE,
      audit: (event, fields) => audit.push([event, fields]),
      execute: async () => {
        calls.execute++;
        return { refundIds: ['r1'] };
      },
      authorize: async () => {
        calls.authorize++;
      },
      reconcile: async () => {
        calls.reconcile++;
        return null;
      },
      ...overrides,
    });
  const events = () => audit.map(([event]) => event);
  return { run, audit, events, calls, memory, lapse: (ms: number) => (clock += ms) };
}

const notSent = () =>
  new UpstreamError('legacy-ecommerce', ErrorCode.UPSTREAM_UNAVAILABLE, 'legacy-ecommerce is unavailable', {
    neverSent: true,
  });
const maybeSent = () =>
  new UpstreamError('legacy-ecommerce', ErrorCode.UPSTREAM_UNAVAILABLE, 'legacy-ecommerce is unavailable');

describe('runIdempotent: first call and replays', () => {
  it('executes once, stores the answer for the TTL and replays it', async () => {
    const { run, calls, events, audit, lapse } = harness();
    expect(await run()).toEqual({ data: { refundIds: ['r1'] }, replayed: false });
    expect(audit).toEqual([['outcome', { outcome: 'success', code: undefined }]]);
    lapse(TTL - 1);
    expect(await run()).toEqual({ data: { refundIds: ['r1'] }, replayed: true });
    expect(calls).toEqual({ execute: 1, authorize: 1, reconcile: 0 });
    expect(events()).toEqual(['outcome', 'replayed']);
    expect(audit[1]).toEqual(['replayed', { outcome: 'success' }]);
  });

  it('stores a coded failure as the answer and replays it marked as replayed', async () => {
    const { run, calls, audit } = harness();
    const refused = codedError(ErrorCode.NOTHING_TO_REFUND, 'Nothing left to refund');
    const execute = async () => {
      calls.execute++;
      throw refused;
    };
    const first = await run({ execute }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(GraphQLError);
    expect(isReplayedError(first)).toBe(false);
    expect(first).toMatchObject({
      message: 'Nothing left to refund',
      extensions: { code: 'NOTHING_TO_REFUND' },
    });
    expect(audit).toEqual([['outcome', { outcome: 'error', code: 'NOTHING_TO_REFUND' }]]);
    const again = await run({ execute }).catch((error: unknown) => error);
    expect(isReplayedError(again)).toBe(true);
    expect(again).toMatchObject({
      message: 'Nothing left to refund',
      extensions: { code: 'NOTHING_TO_REFUND', replayed: true },
    });
    expect(audit[1]).toEqual(['replayed', { outcome: 'error' }]);
    expect(calls.execute).toBe(1);
  });

  it('answers an uncoded failure as INTERNAL_SERVER_ERROR, never with its message', async () => {
    for (const thrown of [new Error('secret detail'), new GraphQLError('no code here')]) {
      const { run } = harness();
      await expect(
        run({
          execute: async () => {
            throw thrown;
          },
        }),
      ).rejects.toMatchObject({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
  });

  it('refuses other arguments under the same key, executing nothing', async () => {
    const { run, calls, audit } = harness();
    await run();
    await expect(run({ args: { orderNumber: 'EDX-100043' } })).rejects.toMatchObject({
      message: 'This Idempotency-Key was used with different arguments',
      extensions: { code: 'IDEMPOTENCY_KEY_MISMATCH', retryable: false },
    });
    expect(audit[1]).toEqual(['key mismatch', undefined]);
    expect(calls.execute).toBe(1);
  });

  it('refuses a retry while the first is in flight, and lets it take over once the lease is over', async () => {
    const { run, calls, events, audit, lapse } = harness();
    let finish!: () => void;
    const first = run({
      execute: () => new Promise((resolve) => (finish = () => resolve({ refundIds: ['r1'] }))),
    });
    await new Promise((resolve) => setImmediate(resolve));
    await expect(run()).rejects.toMatchObject({
      message: 'A request with this Idempotency-Key is still in progress',
      extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true },
    });
    expect(events()).toEqual(['key in use']);
    lapse(LEASE + 1);
    // The first attempt is presumed dead: the retry authorizes again, then reconciles instead of executing.
    expect(await run()).toEqual({ data: { refundIds: ['r1'] }, replayed: false });
    expect(calls).toEqual({ execute: 1, authorize: 2, reconcile: 1 });
    expect(events()).toEqual(['key in use', 'takeover reconciled', 'outcome']);
    finish();
    // Its record was replaced by the retry's: the late first attempt stores nothing, says so, and
    // still answers what happened.
    expect(await first).toEqual({ data: { refundIds: ['r1'] }, replayed: false });
    expect(audit.slice(3)).toEqual([
      ['result not stored', { reason: 'claim taken over by a retry' }],
      ['outcome', { outcome: 'success', code: undefined }],
    ]);
  });
});

describe('runIdempotent: a takeover looks upstream first', () => {
  async function deadAttempt(h: ReturnType<typeof harness>) {
    // A claim whose process died: never completed, lease run out.
    await h.memory.claim(scope, {
      fingerprint: fingerprint(scope.operation, { orderNumber: 'EDX-100042' }),
      ttlMs: TTL,
      leaseMs: LEASE,
    });
    h.lapse(LEASE + 1);
  }

  it('answers what the upstream already did, without executing again', async () => {
    const h = harness();
    await deadAttempt(h);
    const found = { refundIds: ['r0'] };
    expect(await h.run({ reconcile: async () => found })).toEqual({ data: found, replayed: false });
    expect(h.calls.execute).toBe(0);
    expect(h.audit[0]).toEqual(['takeover reconciled', { alreadyApplied: true }]);
    expect(await h.run()).toEqual({ data: found, replayed: true });
  });

  it('executes when the upstream shows nothing applied', async () => {
    const h = harness();
    await deadAttempt(h);
    expect(await h.run()).toEqual({ data: { refundIds: ['r1'] }, replayed: false });
    expect(h.calls).toEqual({ execute: 1, authorize: 1, reconcile: 1 });
    expect(h.audit[0]).toEqual(['takeover reconciled', { alreadyApplied: false }]);
  });

  it('keeps the record taken over when the look fails, so the next retry looks again', async () => {
    const h = harness();
    await deadAttempt(h);
    await expect(
      h.run({
        reconcile: async () => {
          throw maybeSent();
        },
      }),
    ).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(h.audit).toEqual([
      ['reconcile failed, will reconcile on retry', { code: 'UPSTREAM_UNAVAILABLE' }],
    ]);
    // Not released (a retry would execute blind), not in flight (no lease wait): reconciled again at once.
    await h.run();
    expect(h.calls).toEqual({ execute: 1, authorize: 2, reconcile: 1 });
  });

  // The dead attempt may have died before its check ran (or while it ran: a slow check outlives the
  // lease too), so the takeover is checked like a fresh claim, before it looks upstream or executes.
  it('authorizes a takeover like a fresh claim: refused, it neither looks nor executes', async () => {
    const h = harness();
    await deadAttempt(h);
    const authorize = async () => {
      h.calls.authorize++;
      throw codedError(ErrorCode.NOT_FOUND, 'No such order');
    };
    await expect(h.run({ authorize })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(h.calls).toEqual({ execute: 0, authorize: 1, reconcile: 0 });
    expect(h.audit).toEqual([['refused, still taken over', { code: 'NOT_FOUND' }]]);
    // Still taken over, not released and not in flight: the next retry is checked again at once, and
    // reconciles before it executes (whatever the dead attempt did is still unknown).
    expect(await h.run()).toEqual({ data: { refundIds: ['r1'] }, replayed: false });
    expect(h.calls).toEqual({ execute: 1, authorize: 2, reconcile: 1 });
    expect(h.events()).toEqual(['refused, still taken over', 'takeover reconciled', 'outcome']);
  });

  it('stays taken over when its own write provably never left', async () => {
    const h = harness();
    await deadAttempt(h);
    const execute = async () => {
      h.calls.execute++;
      throw notSent();
    };
    await expect(h.run({ execute })).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(h.audit[1]).toEqual(['not sent, still taken over', { code: 'UPSTREAM_UNAVAILABLE' }]);
    await h.run();
    expect(h.calls).toEqual({ execute: 2, authorize: 2, reconcile: 2 });
  });
});

describe('runIdempotent: what a failure leaves behind', () => {
  it('a refusal by authorize leaves no record: the key is free for another request', async () => {
    const { run, calls, audit } = harness();
    const authorize = async () => {
      throw codedError(ErrorCode.NOT_FOUND, 'No such order');
    };
    await expect(run({ authorize })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(audit).toEqual([['refused', { code: 'NOT_FOUND' }]]);
    expect(calls.execute).toBe(0);
    expect(await run({ args: { orderNumber: 'EDX-100043' } })).toMatchObject({ replayed: false });
    expect(calls.execute).toBe(1);
  });

  it('a write that never left is forgotten: the retry executes afresh', async () => {
    const { run, calls, audit } = harness();
    await expect(
      run({
        execute: async () => {
          throw notSent();
        },
      }),
    ).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(audit).toEqual([['not sent, claim released', { code: 'UPSTREAM_UNAVAILABLE' }]]);
    expect(await run()).toEqual({ data: { refundIds: ['r1'] }, replayed: false });
    expect(calls).toEqual({ execute: 1, authorize: 2, reconcile: 0 });
  });

  it('a repeatable call is never answered from a stored failure', async () => {
    const { run, calls, audit } = harness();
    await expect(
      run({
        repeatable: true,
        execute: async () => {
          throw maybeSent();
        },
      }),
    ).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(audit).toEqual([['attempt failed, claim released', { code: 'UPSTREAM_UNAVAILABLE' }]]);
    expect(await run({ repeatable: true })).toMatchObject({ replayed: false });
    expect(calls).toEqual({ execute: 1, authorize: 2, reconcile: 0 });
  });

  it('abandon: a retryable failure is not the answer; the next attempt reconciles first', async () => {
    const { run, calls, audit } = harness();
    const failing = async () => {
      throw maybeSent();
    };
    await expect(run({ retryableErrors: 'abandon', execute: failing })).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', retryable: true },
    });
    expect(audit).toEqual([['attempt failed, will reconcile on retry', { code: 'UPSTREAM_UNAVAILABLE' }]]);
    expect(await run({ retryableErrors: 'abandon' })).toMatchObject({ replayed: false });
    expect(calls).toEqual({ execute: 1, authorize: 2, reconcile: 1 });
  });

  it('abandon keeps a failure that is not retryable as the answer', async () => {
    const { run, calls } = harness();
    const failing = async () => {
      calls.execute++;
      throw codedError(ErrorCode.NOTHING_TO_REFUND, 'Nothing left', { retryable: false });
    };
    await expect(run({ retryableErrors: 'abandon', execute: failing })).rejects.toMatchObject({
      extensions: { code: 'NOTHING_TO_REFUND' },
    });
    await expect(run({ retryableErrors: 'abandon', execute: failing })).rejects.toMatchObject({
      extensions: { code: 'NOTHING_TO_REFUND', replayed: true },
    });
    expect(calls.execute).toBe(1);
  });

  it('the default stores a retryable failure as the answer (a synchronous caller saw it)', async () => {
    const { run, calls } = harness();
    const failing = async () => {
      calls.execute++;
      throw maybeSent();
    };
    await expect(run({ execute: failing })).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    await expect(run({ execute: failing })).rejects.toMatchObject({ extensions: { replayed: true } });
    expect(calls).toEqual({ execute: 1, authorize: 1, reconcile: 0 });
  });
});

describe('runIdempotent: the store', () => {
  const broken = (overrides: Partial<IdempotencyStore>): IdempotencyStore => {
    const memory = new MemoryIdempotencyStore();
    return {
      claim: (s, o) => memory.claim(s, o),
      complete: (...args) => memory.complete(...args),
      release: (s, t) => memory.release(s, t),
      abandon: (...args) => memory.abandon(...args),
      close: () => memory.close(),
      ...overrides,
    };
  };

  it('fails closed when the store is down: nothing executes', async () => {
    const { run, calls, audit } = harness(
      broken({ claim: async () => Promise.reject(new Error('ECONNREFUSED')) }),
    );
    await expect(run()).rejects.toMatchObject({
      message: 'The idempotency store is unavailable; nothing was executed',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'idempotency-store', retryable: true },
    });
    expect(audit).toEqual([['idempotency store unavailable', { err: 'ECONNREFUSED' }]]);
    expect(calls.execute).toBe(0);
  });

  it('names what a store threw even when it is not an Error', async () => {
    const down = harness(broken({ claim: async () => Promise.reject(undefined) }));
    await expect(down.run()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(down.audit).toEqual([['idempotency store unavailable', { err: 'undefined' }]]);
    const lost = harness(broken({ complete: async () => Promise.reject(null) }));
    expect(await lost.run()).toMatchObject({ replayed: false });
    expect(lost.audit[0]).toEqual(['result not stored', { err: 'null' }]);
  });

  it('still answers what happened when the result cannot be stored', async () => {
    const { run, audit } = harness(broken({ complete: async () => Promise.reject(new Error('READONLY')) }));
    expect(await run()).toEqual({ data: { refundIds: ['r1'] }, replayed: false });
    expect(audit).toEqual([
      ['result not stored', { err: 'READONLY' }],
      ['outcome', { outcome: 'success', code: undefined }],
    ]);
  });

  it('a refusal still answers when releasing the claim fails', async () => {
    const { run, audit } = harness(broken({ release: async () => Promise.reject(new Error('down')) }));
    await expect(
      run({
        authorize: async () => {
          throw codedError(ErrorCode.FORBIDDEN, 'no');
        },
      }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(audit).toEqual([
      ['claim not released', { err: 'down' }],
      ['refused', { code: 'FORBIDDEN' }],
    ]);
  });

  // Every path that gives a claim back (release) or leaves it for the next attempt to reconcile
  // (abandon) answers the request's own failure when the store fails at that moment, and says so.
  const failing = (error: () => unknown) => async () => {
    throw error();
  };
  it.each<[string, 'released' | 'abandoned', boolean, Partial<IdempotentCall<unknown>>, string]>([
    [
      'refused by authorize',
      'released',
      false,
      { authorize: failing(() => codedError(ErrorCode.NOT_FOUND, 'x')) },
      'NOT_FOUND',
    ],
    [
      'a repeatable call failed',
      'released',
      false,
      { repeatable: true, execute: failing(maybeSent) },
      'UPSTREAM_UNAVAILABLE',
    ],
    [
      'a takeover refused by authorize',
      'abandoned',
      true,
      { authorize: failing(() => codedError(ErrorCode.NOT_FOUND, 'x')) },
      'NOT_FOUND',
    ],
    ['never sent', 'released', false, { execute: failing(notSent) }, 'UPSTREAM_UNAVAILABLE'],
    ['never sent after a takeover', 'abandoned', true, { execute: failing(notSent) }, 'UPSTREAM_UNAVAILABLE'],
    [
      'a retryable failure to abandon',
      'abandoned',
      false,
      { retryableErrors: 'abandon', execute: failing(maybeSent) },
      'UPSTREAM_UNAVAILABLE',
    ],
    [
      'the takeover could not look',
      'abandoned',
      true,
      { reconcile: failing(maybeSent) },
      'UPSTREAM_UNAVAILABLE',
    ],
  ])(
    '%s: answers its own failure when the claim cannot be %s',
    async (_path, action, takeover, overrides, code) => {
      let clock = 1_000_000;
      const memory = new MemoryIdempotencyStore(() => clock);
      const down = async () => Promise.reject(new Error('store gone'));
      const { run, audit } = harness({
        claim: (s, o) => memory.claim(s, o),
        complete: (...args) => memory.complete(...args),
        release: down,
        abandon: down,
        close: () => memory.close(),
      });
      if (takeover) {
        await memory.claim(scope, {
          fingerprint: fingerprint(scope.operation, { orderNumber: 'EDX-100042' }),
          ttlMs: TTL,
          leaseMs: LEASE,
        });
        clock += LEASE + 1;
      }
      await expect(run(overrides)).rejects.toMatchObject({ extensions: { code } });
      expect(audit).toContainEqual([`claim not ${action}`, { err: 'store gone' }]);
    },
  );

  it('passes the TTL and lease it was given to the store', async () => {
    const claims: unknown[] = [];
    const completes: unknown[] = [];
    const memory = new MemoryIdempotencyStore();
    const { run } = harness(
      broken({
        claim: (s, o) => (claims.push(o), memory.claim(s, o)),
        complete: (s, t, f, o, ttl) => (completes.push(ttl), memory.complete(s, t, f, o, ttl)),
      }),
    );
    await run();
    expect(claims).toEqual([
      {
        fingerprint: fingerprint('requestRefund', { orderNumber: 'EDX-100042' }),
        ttlMs: TTL,
        leaseMs: LEASE,
      },
    ]);
    expect(completes).toEqual([TTL]);
  });
});

describe('isReplayedError', () => {
  it('is true only for an error carrying the replay brand', () => {
    const replayed = Object.assign(new Error('x'), { isReplayedError: true });
    expect(isReplayedError(replayed)).toBe(true);
    for (const other of [
      null,
      undefined,
      'isReplayedError',
      0,
      {},
      { isReplayedError: 'true' },
      new Error('x'),
    ])
      expect(isReplayedError(other)).toBe(false);
  });
});

describe('fingerprint', () => {
  it('ignores key order and undefined members, and nothing else', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: null, c: 'x' }], u: undefined })).toBe(
      '{"a":[1,{"c":"x","d":null}],"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson({ z: 1, a: 2, m: 3 })).toBe('{"a":2,"m":3,"z":1}');
    expect(fingerprint('op', { a: 1, b: 2 })).toBe(fingerprint('op', { b: 2, a: 1 }));
    expect(fingerprint('op', { a: 1 })).not.toBe(fingerprint('other', { a: 1 }));
    expect(fingerprint('op', { a: 1 })).not.toBe(fingerprint('op', { a: '1' }));
    expect(fingerprint('op', ['a'])).not.toBe(fingerprint('op', { 0: 'a' }));
    expect(fingerprint('op', { a: 1 })).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
