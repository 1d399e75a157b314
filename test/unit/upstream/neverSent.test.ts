import { runIdempotent } from '../../../idempotency/runIdempotent';
import { MemoryIdempotencyStore } from '../../../idempotency/MemoryIdempotencyStore';
import { ErrorCode } from '../../../platform/ErrorCode';
import { Bulkhead } from '../../../upstream/Bulkhead';
import { classifyFailure } from '../../../upstream/classifyFailure';
import { rateLimitedError } from '../../../upstream/httpAttempt';
import { isRetryable } from '../../../upstream/isRetryable';
import type { UpstreamError } from '../../../upstream/UpstreamError';

// "Never sent, hence safe to resend" is decided once, where a failure is raised (detail.neverSent),
// and every retry or reconcile decision reads that fact instead of deciding again.

const transport = (code: string) => Object.assign(new Error(code), { code });

describe('neverSent is set where the failure is raised', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])(
    'a connection never made (%s)',
    (code) => {
      expect(classifyFailure('legacy', transport(code), false).detail.neverSent).toBe(true);
    },
  );

  it.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])('not once a connection was made (%s)', (code) => {
    expect(classifyFailure('legacy', transport(code), false).detail.neverSent).toBeUndefined();
  });

  it('not for a timeout: the request may have been acted on', () => {
    expect(classifyFailure('legacy', transport('ECONNREFUSED'), true).detail.neverSent).toBeUndefined();
  });

  it('a 429: the throttle refuses before any view runs', () => {
    const failure = rateLimitedError('legacy', { status: 429, headers: {}, body: undefined });
    expect(failure.detail).toMatchObject({ neverSent: true, status: 429 });
  });

  it('our full bulkhead', async () => {
    const bulkhead = new Bulkhead('legacy', 1, 0);
    let release!: () => void;
    const held = bulkhead.run(() => new Promise<void>((resolve) => (release = resolve)));
    const refused = await bulkhead.run(async () => undefined).catch((error: UpstreamError) => error);
    expect(refused).toMatchObject({ code: ErrorCode.UPSTREAM_OVERLOADED, detail: { neverSent: true } });
    release();
    await held;
  });
});

describe('retry and reconcile decisions read it', () => {
  it('a write is resent within the call only when never sent', () => {
    expect(isRetryable(classifyFailure('legacy', transport('ENOTFOUND'), false), false)).toBe(true);
    expect(isRetryable(classifyFailure('legacy', transport('ECONNRESET'), false), false)).toBe(false);
  });

  it.each([
    ['released: a retry executes afresh', 'ENOTFOUND', 2],
    ['stored: a retry gets the same answer, and nothing is sent again', 'ECONNRESET', 1],
  ])('a refund whose call failed never sent or maybe sent is %s (%s)', async (_what, code, calls) => {
    const store = new MemoryIdempotencyStore();
    let executed = 0;
    const attempt = () =>
      runIdempotent({
        store,
        scope: { user: 'learner1', operation: 'requestRefund', key: 'key-0000001' },
        args: { orderNumber: 'EDX-100042' },
        ttlMs: 60_000,
        leaseMs: 15_000,
        audit: () => undefined,
        reconcile: async () => null,
        execute: async () => {
          executed++;
          throw classifyFailure('legacy-ecommerce', transport(code), false);
        },
      });
    await expect(attempt()).rejects.toMatchObject({ extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE } });
    await expect(attempt()).rejects.toMatchObject({ extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE } });
    expect(executed).toBe(calls);
    await store.close();
  });
});
