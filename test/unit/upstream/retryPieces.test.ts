import { backoffDelay } from '../../../upstream/backoffDelay';
import { Bulkhead } from '../../../upstream/Bulkhead';
import { isRetryable } from '../../../upstream/isRetryable';
import { RetryBudget } from '../../../upstream/RetryBudget';
import { UpstreamError } from '../../../upstream/UpstreamError';
import { ErrorCode } from '../../../platform/ErrorCode';

describe('backoffDelay', () => {
  it('draws within [0, base·2^n] capped, and honours a longer Retry-After', () => {
    expect(backoffDelay(0, { baseMs: 100, maxMs: 1000 }, () => 0.999)).toBe(99);
    expect(backoffDelay(3, { baseMs: 100, maxMs: 1000 }, () => 0.5)).toBe(400);
    expect(backoffDelay(10, { baseMs: 100, maxMs: 1000 }, () => 0.999)).toBe(999);
    expect(backoffDelay(0, { baseMs: 100, maxMs: 1000, retryAfterMs: 2000 }, () => 0.1)).toBe(2000);
  });
});

describe('isRetryable', () => {
  const err = (code: ErrorCode, detail = {}) => new UpstreamError('u', code as never, 'x', detail);
  it.each([
    [err(ErrorCode.UPSTREAM_UNAVAILABLE, { cause: 'ECONNRESET' }), true, true],
    [err(ErrorCode.UPSTREAM_UNAVAILABLE, { cause: 'ECONNRESET' }), false, false],
    [err(ErrorCode.UPSTREAM_UNAVAILABLE, { cause: 'ECONNREFUSED' }), false, true],
    [err(ErrorCode.UPSTREAM_ERROR, { status: 503 }), true, true],
    [err(ErrorCode.UPSTREAM_ERROR, { status: 500 }), true, false],
    [err(ErrorCode.UPSTREAM_ERROR, { status: 503 }), false, false],
    [err(ErrorCode.UPSTREAM_TIMEOUT), true, false],
    [err(ErrorCode.UPSTREAM_UNAVAILABLE, { breakerOpen: true }), true, false],
    [err(ErrorCode.UPSTREAM_OVERLOADED, { localOverload: true }), true, false],
    [err(ErrorCode.UPSTREAM_OVERLOADED, { status: 429 }), true, true],
  ])('%s idempotent=%s → %s', (error, idempotent, expected) => {
    expect(isRetryable(error, idempotent)).toBe(expected);
  });
});

describe('RetryBudget', () => {
  it('allows max(min, percent of requests) retries in flight', () => {
    const budget = new RetryBudget(20, 3);
    for (let i = 0; i < 50; i++) budget.requestStarted();
    const granted = Array.from({ length: 20 }, () => budget.tryAcquire()).filter(Boolean).length;
    expect(granted).toBe(10);
    budget.release();
    expect(budget.tryAcquire()).toBe(true);
  });

  it('keeps a floor for quiet upstreams', () => {
    const budget = new RetryBudget(20, 3);
    budget.requestStarted();
    expect([budget.tryAcquire(), budget.tryAcquire(), budget.tryAcquire(), budget.tryAcquire()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('Bulkhead', () => {
  it('rejects the excess at once and queues up to its bound', async () => {
    const bulkhead = new Bulkhead('u', 2, 1);
    const gates: (() => void)[] = [];
    const work = () => new Promise<string>((r) => gates.push(() => r('done')));
    const running = [bulkhead.run(work), bulkhead.run(work), bulkhead.run(work)];
    await expect(bulkhead.run(work)).rejects.toMatchObject({
      code: 'UPSTREAM_OVERLOADED',
      detail: { localOverload: true },
    });
    expect([bulkhead.inFlight, bulkhead.queued, bulkhead.rejected]).toEqual([2, 1, 1]);
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
    expect([bulkhead.inFlight, bulkhead.queued]).toEqual([2, 0]);
    while (gates.length) gates.shift()!();
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
    await expect(Promise.all(running)).resolves.toEqual(['done', 'done', 'done']);
  });

  it('drops a queued call whose caller gives up', async () => {
    const bulkhead = new Bulkhead('u', 1, 1);
    let release!: () => void;
    const first = bulkhead.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    const queued = bulkhead.run(async () => 'never', controller.signal);
    controller.abort(new Error('client gone'));
    await expect(queued).rejects.toThrow('client gone');
    expect(bulkhead.queued).toBe(0);
    release();
    await first;
  });
});
