import { ErrorCode } from '../platform/ErrorCode';
import type { UpstreamError } from './UpstreamError';

// A connection the upstream refused never carried a byte: even a mutation is safe to send again.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether a failed attempt may be retried. Reads (idempotent) retry on transient failures; anything
 * else only when the request provably never left (resilience.md T8): a 500, a timeout or a reset may
 * have been acted on.
 */
export function isRetryable(error: UpstreamError, idempotent: boolean): boolean {
  if (error.detail.breakerOpen || error.detail.localOverload) return false;
  if (error.detail.cause !== undefined && NEVER_SENT.has(error.detail.cause)) return true;
  if (!idempotent) return false;
  switch (error.code) {
    // Not timeouts: an attempt that timed out already spent its whole deadline, and retrying a hung
    // upstream triples the wait and the load exactly when it is least able to take it.
    case ErrorCode.UPSTREAM_UNAVAILABLE:
    case ErrorCode.UPSTREAM_OVERLOADED:
      return true;
    case ErrorCode.UPSTREAM_ERROR:
      return error.detail.status === 502 || error.detail.status === 503 || error.detail.status === 504;
    default:
      return false;
  }
}
