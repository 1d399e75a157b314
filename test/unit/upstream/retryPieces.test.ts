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
    // A refused connection is marked never sent where it is classified; the mark is what is read.
    [err(ErrorCode.UPSTREAM_UNAVAILABLE, { cause: 'ECONNREFUSED', neverSent: true }), false, true],
    [err(ErrorCode.UPSTREAM_UNAVAILABLE, { cause: 'ECONNREFUSED' }), false, false],
    [err(ErrorCode.UPSTREAM_ERROR, { status: 503 }), true, true],
    [err(ErrorCode.UPSTREAM_ERROR, { status: 500 }), true, false],
    [err(ErrorCode.UPSTREAM_ERROR, { status: 503 }), false, false],
    [err(ErrorCode.UPSTREAM_TIMEOUT), true, false],
    [err(ErrorCode.UPSTREAM_UNAVAILABLE, { breakerOpen: true }), true, false],
    [err(ErrorCode.UPSTREAM_OVERLOADED, { localOverload: true }), true, false],
    // A throttle is never retried within the request, even a read, even with no wait named.
    [err(ErrorCode.UPSTREAM_RATE_LIMITED, { status: 429 }), true, false],
    [err(ErrorCode.UPSTREAM_RATE_LIMITED, { status: 429, retryAfterMs: 0 }), true, false],
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

  it('counts only requests still in flight: finished ones no longer widen the allowance', () => {
    const budget = new RetryBudget(20, 3);
    for (let i = 0; i < 50; i++) budget.requestStarted();
    for (let i = 0; i < 40; i++) budget.requestFinished();
    // 10 in flight: 20 % is 2, so the floor of 3 holds, not the 10 that 50 requests allowed.
    const granted = Array.from({ length: 10 }, () => budget.tryAcquire()).filter(Boolean).length;
    expect(granted).toBe(3);
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

describe('isRetryable: which 5xx a read may retry', () => {
  const status = (code: number) =>
    new UpstreamError('u', ErrorCode.UPSTREAM_ERROR as never, 'x', { status: code });
  it.each([
    [502, true],
    [503, true],
    [504, true],
    [500, false],
    [501, false],
  ])('%i → %s', (code, expected) => {
    expect(isRetryable(status(code), true)).toBe(expected);
  });
});

describe('Bulkhead edges', () => {
  it('names the upstream when it refuses', async () => {
    const bulkhead = new Bulkhead('legacy', 0, 0);
    await expect(bulkhead.run(async () => 'never')).rejects.toThrow('legacy has too many calls in flight');
  });

  it('refuses at once a caller that already gave up, without queueing it', async () => {
    const bulkhead = new Bulkhead('u', 1, 1);
    let release!: () => void;
    const first = bulkhead.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    controller.abort(new Error('gone before queueing'));
    let ran = false;
    await expect(
      bulkhead.run(async () => {
        ran = true;
      }, controller.signal),
    ).rejects.toThrow('gone before queueing');
    expect(bulkhead.queued).toBe(0);
    release();
    await first;
    expect(ran).toBe(false);
  });

  it('a caller giving up after its turn came leaves the other waiters queued', async () => {
    const bulkhead = new Bulkhead('u', 1, 2);
    let release!: () => void;
    const first = bulkhead.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    let releaseSecond!: () => void;
    const second = bulkhead.run(() => new Promise<void>((r) => (releaseSecond = r)), controller.signal);
    const third = bulkhead.run(async () => 'third');
    release();
    await first;
    await new Promise((r) => setImmediate(r));
    controller.abort(new Error('too late'));
    expect(bulkhead.queued).toBe(1);
    releaseSecond();
    await second;
    await expect(third).resolves.toBe('third');
  });
});
