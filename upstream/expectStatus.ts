import { ErrorCode } from '../platform/ErrorCode';
import type { UpstreamResponse } from './Upstream';
import { UpstreamError } from './UpstreamError';

/**
 * Passes when the upstream answered one of `expected`, else throws UPSTREAM_ERROR "<upstream> answered
 * <status>". Call it after mapping the answers the caller acts on (a 404 that means "no such order", a
 * 401 that means "renew the token"): whatever is left is the upstream or our own request being wrong,
 * never the learner's doing, so clients get no more than the code and the upstream's name.
 */
export function expectStatus(upstream: string, response: UpstreamResponse, ...expected: number[]): void {
  if (!expected.includes(response.status)) throw unexpectedStatus(upstream, response.status);
}

/** The failure an answer the caller cannot act on becomes; `message` when the status says more. */
export function unexpectedStatus(upstream: string, status: number, message?: string): UpstreamError {
  return new UpstreamError(upstream, ErrorCode.UPSTREAM_ERROR, message ?? `${upstream} answered ${status}`, {
    status,
  });
}
