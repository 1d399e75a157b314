import type { RateBucket, RateDecision, RateLimiter } from './RateLimiter';

/**
 * The sliding-window log in this process only: what an instance without Redis counts with, and what
 * the Redis limiter falls back to while Redis is unreachable. Each key keeps at most `limit` times.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly log = new Map<string, number[]>();
  private lastSweep: number;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  async take(buckets: readonly RateBucket[]): Promise<RateDecision> {
    const now = this.now();
    this.sweep(now);
    let wait = 0;
    for (const bucket of buckets) {
      const times = this.live(bucket.key, now);
      if (times.length >= bucket.limit) {
        // Room comes back when the entry `limit` places from the end leaves the window.
        const blocking = times[times.length - bucket.limit] ?? now;
        wait = Math.max(wait, blocking + this.windowMs - now, 1);
      }
    }
    if (wait > 0) return { allowed: false, retryAfterMs: wait, store: 'memory' };
    for (const bucket of buckets) {
      const times = this.log.get(bucket.key) ?? [];
      times.push(now);
      this.log.set(bucket.key, times);
    }
    return { allowed: true, retryAfterMs: 0, store: 'memory' };
  }

  async close(): Promise<void> {
    this.log.clear();
  }

  private live(key: string, now: number): number[] {
    const times = this.log.get(key);
    if (!times) return [];
    const firstLive = times.findIndex((t) => t > now - this.windowMs);
    if (firstLive === -1) {
      this.log.delete(key);
      return [];
    }
    if (firstLive > 0) times.splice(0, firstLive);
    return times;
  }

  /** Once a window, forget callers who have gone quiet, so the map holds only the recent ones. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const key of [...this.log.keys()]) this.live(key, now);
  }
}
