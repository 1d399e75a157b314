import { ErrorCode } from '../platform/ErrorCode';
import type { UpstreamError } from './UpstreamError';

/**
 * Whether a failed attempt may be retried within the call. Reads (idempotent) retry on transient
 * failures; anything else only when the request provably never left (`detail.neverSent`, set where
 * the failure was raised; docs/reference/resilience.md T8): a 500, a timeout or a reset may have been
 * acted on.
 */
export function isRetryable(error: UpstreamError, idempotent: boolean): boolean {
  // Never sent, but refused by us: our open breaker or full bulkhead would refuse the retry just the same.
  if (error.detail.breakerOpen || error.detail.localOverload) return false;
  // Never sent, but never within the request: a 429 is the upstream throttling this caller (the legacy
  // API: 75 requests a minute per user), and it names a wait of seconds, longer than any request
  // deadline. Retrying would spend the caller's next allowance on the same refusal; the client gets the wait.
  if (error.code === ErrorCode.UPSTREAM_RATE_LIMITED) return false;
  if (error.detail.neverSent) return true;
  if (!idempotent) return false;
  switch (error.code) {
    // Not timeouts: an attempt that timed out already spent its whole deadline, and retrying a hung
    // upstream triples the wait and the load exactly when it is least able to take it.
    case ErrorCode.UPSTREAM_UNAVAILABLE:
      return true;
    case ErrorCode.UPSTREAM_ERROR:
      return error.detail.status === 502 || error.detail.status === 503 || error.detail.status === 504;
    default:
      return false;
  }
}
