import { ErrorCode } from '../platform/ErrorCode';
import type { UpstreamError } from './UpstreamError';

/** A failed call's outcome as metrics (`outcome` label) and traces name it. */
export function outcomeOf(failure: UpstreamError): string {
  if (failure.detail.breakerOpen) return 'rejected_open';
  if (failure.detail.localOverload) return 'rejected_overload';
  switch (failure.code) {
    case ErrorCode.UPSTREAM_TIMEOUT:
      return 'timeout';
    case ErrorCode.UPSTREAM_UNAVAILABLE:
      return 'unavailable';
    case ErrorCode.UPSTREAM_RATE_LIMITED:
      return 'rate_limited';
    default:
      return 'error';
  }
}
