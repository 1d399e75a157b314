import type { ErrorCode } from '../platform/ErrorCode';
import { codedError } from '../platform/codedError';

export type UpstreamErrorCode =
  | ErrorCode.UPSTREAM_UNAVAILABLE
  | ErrorCode.UPSTREAM_TIMEOUT
  | ErrorCode.UPSTREAM_ERROR
  | ErrorCode.UPSTREAM_OVERLOADED;

/** For logs and retry decisions; never sent to clients. */
export interface UpstreamErrorDetail {
  status?: number;
  cause?: string;
  retryAfterMs?: number;
  /** Refused by our open breaker: the upstream was not called. */
  breakerOpen?: boolean;
  /** Refused by our bulkhead: the upstream was not called. */
  localOverload?: boolean;
  /** Our own caller went away (client disconnected): says nothing about the upstream's health. */
  callerAborted?: boolean;
}

/**
 * A failed call to another service. `message` is ours, never the upstream's body: bodies can hold
 * stack traces or personal data, so they stay in the logs (`detail`), not in responses.
 */
export class UpstreamError extends Error {
  readonly isUpstreamError = true;
  constructor(
    readonly upstream: string,
    readonly code: UpstreamErrorCode,
    message: string,
    /** For logs only. */
    readonly detail: UpstreamErrorDetail = {},
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** Whether trying again later may succeed: true for every upstream failure mode we raise. */
  get retryable(): boolean {
    return true;
  }

  toGraphQLError() {
    return codedError(this.code, this.message, { upstream: this.upstream, retryable: this.retryable });
  }
}

// A brand survives duplicate module copies (jest module registries) where instanceof would not.
export const isUpstreamError = (e: unknown): e is UpstreamError =>
  typeof e === 'object' && e !== null && 'isUpstreamError' in e && e.isUpstreamError === true;
