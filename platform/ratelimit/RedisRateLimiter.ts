import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { MemoryRateLimiter } from './MemoryRateLimiter';
import type { RateBucket, RateDecision, RateLimiter } from './RateLimiter';
import { SLIDING_WINDOW_SCRIPT } from './slidingWindowScript';

interface WithScript {
  switchyardSlidingWindow(numberOfKeys: number, ...args: (string | number)[]): Promise<[number, number]>;
}

export interface RedisRateLimiterOptions {
  windowMs: number;
  now?: () => number;
  /** Called for each take answered from memory because Redis failed (a metric, a log line). */
  onStoreError?: (error: unknown) => void;
}

/**
 * The sliding-window log shared by every instance through one Redis. When Redis fails (down, or slower
 * than the client's command timeout) the request is counted in this instance's memory instead: the
 * limit then holds per instance, not across them — a deliberate fail-open for the shared count, so a
 * Redis outage never turns into refused reads, while each instance still bounds what one user can do.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly fallback: MemoryRateLimiter;
  private readonly now: () => number;
  private sequence = 0;
  private readonly instance = randomUUID();

  constructor(
    private readonly client: Redis,
    private readonly options: RedisRateLimiterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.fallback = new MemoryRateLimiter(options.windowMs, this.now);
    client.defineCommand('switchyardSlidingWindow', { lua: SLIDING_WINDOW_SCRIPT });
  }

  async take(buckets: readonly RateBucket[]): Promise<RateDecision> {
    if (buckets.length === 0) return { allowed: true, retryAfterMs: 0, store: 'redis' };
    try {
      // Unique per request across instances: two admissions in the same millisecond are two entries.
      const member = `${this.instance}:${++this.sequence}`;
      const [allowed, wait] = await (this.client as unknown as WithScript).switchyardSlidingWindow(
        buckets.length,
        ...buckets.map((b) => b.key),
        this.now(),
        this.options.windowMs,
        member,
        ...buckets.map((b) => b.limit),
      );
      return { allowed: allowed === 1, retryAfterMs: Number(wait), store: 'redis' };
    } catch (error) {
      this.options.onStoreError?.(error);
      return this.fallback.take(buckets);
    }
  }

  /** The client is its owner's to close (the gateway shares it with the APQ cache). */
  async close(): Promise<void> {
    await this.fallback.close();
  }
}
