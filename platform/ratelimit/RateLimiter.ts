/** One count a request is charged to: a key (the caller, the kind of operation) and its limit per window. */
export interface RateBucket {
  readonly key: string;
  readonly limit: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** When refused: how long until the fullest bucket has room again (ms, at least 1). 0 when allowed. */
  readonly retryAfterMs: number;
  /** Where the count was kept: `memory` also while Redis is unreachable (the count is then per instance). */
  readonly store: 'redis' | 'memory';
}

/**
 * A sliding-window log: a request is admitted when every one of its buckets holds fewer than `limit`
 * admitted requests in the last window, and then counts in all of them; a refused request counts in
 * none, so a caller who keeps retrying is let in again as soon as the window allows.
 */
export interface RateLimiter {
  take(buckets: readonly RateBucket[]): Promise<RateDecision>;
  close(): Promise<void>;
}
