import { z } from 'zod';
import type { SimResponse } from './createSimulator';

/** A DRF throttle rate, e.g. `75/minute`: so many requests per period. */
export interface ThrottleRate {
  numRequests: number;
  durationSeconds: number;
}

const PERIODS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };
const RATE = /^(\d+)\/([smhd])[a-z]*$/;

/** DRF's `SimpleRateThrottle.parse_rate`: `<n>/<period>`, only the period's first letter counts. */
export function parseThrottleRate(rate: string): ThrottleRate {
  const match = RATE.exec(rate.trim());
  if (!match || Number(match[1]) < 1) {
    throw new Error(`throttle rate "${rate}" is not <requests>/<s|m|h|d…>, e.g. 75/minute`);
  }
  return { numRequests: Number(match[1]), durationSeconds: PERIODS[match[2]!]! };
}

/** A throttle-rate variable (e.g. LEGACY_SIMULATOR_THROTTLE_RATE) inside a parseEnv shape. */
export const throttleRateEnv = (fallback: string) =>
  z
    .string()
    .regex(RATE, 'must be <requests>/<second|minute|hour|day>, e.g. 75/minute')
    .refine((rate) => Number(RATE.exec(rate)?.[1]) >= 1, 'must allow at least 1 request')
    .default(fallback);

export type ThrottleDecision = { allowed: true } | { allowed: false; waitSeconds: number };

/**
 * DRF's `SimpleRateThrottle` as `UserRateThrottle` uses it (rest_framework/throttling.py), per user:
 * a sliding log of accepted requests; a request is let through (and logged) while fewer than
 * `numRequests` fall in the last `durationSeconds`. A refused request is not logged, and
 * `waitSeconds` is DRF's `wait()`: the time until the oldest logged request leaves the window, spread
 * over the requests then available (one, at the moment of refusal).
 */
export class UserRateThrottle {
  // Oldest first, with a moving head: a raised rate (load tests) logs many requests per user, and
  // shifting or unshifting arrays that long on every request would cost more than the request.
  private readonly logs = new Map<string, { times: number[]; head: number }>();

  constructor(
    readonly rate: ThrottleRate,
    private readonly now: () => number = Date.now,
  ) {}

  check(user: string): ThrottleDecision {
    const { numRequests, durationSeconds } = this.rate;
    const now = this.now() / 1000;
    let log = this.logs.get(user);
    if (!log) this.logs.set(user, (log = { times: [], head: 0 }));
    while (log.head < log.times.length && log.times[log.head]! <= now - durationSeconds) log.head++;
    if (log.head > 1024 && log.head * 2 > log.times.length) {
      log.times = log.times.slice(log.head);
      log.head = 0;
    }
    const held = log.times.length - log.head;
    if (held >= numRequests) {
      const remaining = durationSeconds - (now - log.times[log.head]!);
      return { allowed: false, waitSeconds: remaining / (numRequests - held + 1) };
    }
    log.times.push(now);
    return { allowed: true };
  }
}

/**
 * DRF's `Throttled` as its exception handler renders it: 429, the wait rounded up (`math.ceil`) in
 * the message (ngettext: "1 second", "N seconds") and in `Retry-After` (`'%d' % wait`).
 */
export function throttledResponse(waitSeconds: number): SimResponse {
  const wait = Math.ceil(waitSeconds);
  return {
    status: 429,
    headers: { 'retry-after': String(wait) },
    body: { detail: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.` },
  };
}
