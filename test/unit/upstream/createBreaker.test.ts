import { createBreaker } from '../../../upstream/createBreaker';
import { ErrorCode } from '../../../platform/ErrorCode';
import { UpstreamError } from '../../../upstream/UpstreamError';

// Breaker timing with jest's fake clock: open → (resetTimeout) → half-open with exactly one trial.
const options = {
  errorThresholdPercentage: 50,
  volumeThreshold: 4,
  resetTimeoutMs: 10_000,
  rollingWindowMs: 10_000,
};
const failure = () => new UpstreamError('legacy', ErrorCode.UPSTREAM_ERROR, 'boom', { status: 500 });

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function setup() {
  let healthy = false;
  let calls = 0;
  let release: (() => void) | undefined;
  const breaker = createBreaker(
    'legacy',
    async (slow: boolean) => {
      calls++;
      if (slow) await new Promise<void>((r) => (release = r));
      if (!healthy) throw failure();
      return 'ok';
    },
    options,
  );
  return {
    breaker,
    calls: () => calls,
    heal: () => (healthy = true),
    release: () => release?.(),
  };
}

it('stays closed below the volume threshold, then opens and stops calling the upstream', async () => {
  const { breaker, calls } = setup();
  for (let i = 0; i < 3; i++) await expect(breaker.fire(false)).rejects.toThrow('boom');
  expect(breaker.opened).toBe(false);
  await expect(breaker.fire(false)).rejects.toThrow('boom');
  expect(breaker.opened).toBe(true);
  const before = calls();
  for (let i = 0; i < 10; i++)
    await expect(breaker.fire(false)).rejects.toMatchObject({ code: 'EOPENBREAKER' });
  expect(calls()).toBe(before);
  breaker.shutdown();
});

it('admits exactly one trial when half-open; success closes it', async () => {
  const { breaker, calls, heal, release } = setup();
  for (let i = 0; i < 4; i++) await expect(breaker.fire(false)).rejects.toThrow();
  expect(breaker.opened).toBe(true);
  jest.advanceTimersByTime(10_000);
  expect(breaker.halfOpen).toBe(true);
  heal();
  const before = calls();
  const trial = breaker.fire(true);
  const others = await Promise.allSettled([breaker.fire(false), breaker.fire(false), breaker.fire(false)]);
  expect(others.every((o) => o.status === 'rejected')).toBe(true);
  release();
  await expect(trial).resolves.toBe('ok');
  expect(calls() - before).toBe(1);
  expect(breaker.closed).toBe(true);
  breaker.shutdown();
});

it('re-opens for another reset period when the trial fails', async () => {
  const { breaker, calls } = setup();
  for (let i = 0; i < 4; i++) await expect(breaker.fire(false)).rejects.toThrow();
  jest.advanceTimersByTime(10_000);
  await expect(breaker.fire(false)).rejects.toThrow('boom');
  expect(breaker.opened).toBe(true);
  const before = calls();
  jest.advanceTimersByTime(9_999);
  await expect(breaker.fire(false)).rejects.toMatchObject({ code: 'EOPENBREAKER' });
  expect(calls()).toBe(before);
  jest.advanceTimersByTime(1);
  expect(breaker.halfOpen).toBe(true);
  breaker.shutdown();
});

it('does not count callers who went away', async () => {
  const breaker = createBreaker(
    'legacy',
    async () => {
      throw new UpstreamError('legacy', ErrorCode.UPSTREAM_UNAVAILABLE, 'gone', { callerAborted: true });
    },
    options,
  );
  for (let i = 0; i < 10; i++) await expect(breaker.fire()).rejects.toThrow('gone');
  expect(breaker.closed).toBe(true);
  breaker.shutdown();
});
