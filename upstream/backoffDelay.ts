/**
 * Exponential backoff with full jitter (a uniform draw in [0, base·2^attempt], capped): spreads the
 * retries of many clients instead of synchronising them. A server's Retry-After wins when it asks
 * for longer.
 */
export function backoffDelay(
  attempt: number,
  options: { baseMs: number; maxMs: number; retryAfterMs?: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, options.retryAfterMs ?? 0);
}
