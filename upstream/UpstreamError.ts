import type { CodedFailure } from '../platform/CodedFailure';
import { ErrorCode } from '../platform/ErrorCode';
import { codedError, type CodedErrorExtensions } from '../platform/codedError';

export type UpstreamErrorCode =
  | ErrorCode.UPSTREAM_UNAVAILABLE
  | ErrorCode.UPSTREAM_TIMEOUT
  | ErrorCode.UPSTREAM_ERROR
  | ErrorCode.UPSTREAM_OVERLOADED
  | ErrorCode.UPSTREAM_RATE_LIMITED;

/** For logs and retry decisions; never sent to clients. */
export interface UpstreamErrorDetail {
  status?: number;
  cause?: string;
  retryAfterMs?: number;
  /** Refused by our open breaker: the upstream was not called. */
  breakerOpen?: boolean;
  /** Refused by our bulkhead: the upstream was not called. */
  localOverload?: boolean;
  /**
   * The request provably never reached the upstream's application, so even a write is safe to send
   * again: the one place this is decided. Set where each such failure is raised — our breaker and
   * bulkhead (nothing was sent), a connection that was never made (classifyFailure), and a 429 (the
   * upstream throttles before any view runs: DRF checks throttles in `initial()`). Every retry and
   * reconcile decision reads it (isRetryable, runIdempotent); none re-derives it.
   */
  neverSent?: boolean;
  /** Our own caller went away (client disconnected): says nothing about the upstream's health. */
  callerAborted?: boolean;
}

/**
 * A failed call to another service. `message` is ours, never the upstream's body: bodies can hold
 * stack traces or personal data, so they stay in the logs (`detail`), not in responses.
 */
export class UpstreamError extends Error implements CodedFailure {
  readonly isUpstreamError = true;
  readonly isCodedFailure = true;
  constructor(
    readonly upstream: string,
    readonly code: UpstreamErrorCode,
    message: string,
    /** For logs only. */
    readonly detail: UpstreamErrorDetail = {},
  ) {
    super(message);
    this.name = 'UpstreamError';
    // A refusal by our own breaker happened at one known place and called nothing: its stack says
    // nothing, and formatting it (graphql-js copies it into every GraphQLError) was a visible share of
    // a fail-fast answer's CPU (bench/PROFILE.md).
    if (detail.breakerOpen === true) this.stack = `${this.name}: ${message}`;
  }

  /** The breaker's opening is logged once and every refusal counted (rejected_open): no line each. */
  get logQuietly(): boolean {
    return this.detail.breakerOpen === true;
  }

  /** Whether trying again later may succeed: true for every upstream failure mode we raise. */
  get retryable(): boolean {
    return true;
  }

  /**
   * Whole seconds the upstream asked us to wait (its `Retry-After`, rounded up), or undefined when it
   * named no wait. Only a throttled call carries it to clients: a 503's Retry-After is the kit's to honour.
   */
  get retryAfterSeconds(): number | undefined {
    const ms = this.detail.retryAfterMs;
    return ms === undefined ? undefined : Math.ceil(ms / 1000);
  }

  /** What a client may see of this failure: the code, which upstream, and when to try again. */
  get clientExtensions(): CodedErrorExtensions {
    const retryAfter = this.code === ErrorCode.UPSTREAM_RATE_LIMITED ? this.retryAfterSeconds : undefined;
    return {
      upstream: this.upstream,
      retryable: this.retryable,
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    };
  }

  /** For the log line where the failure is answered: which upstream, the code, and the detail. */
  get logFields(): Readonly<Record<string, unknown>> {
    return { upstream: this.upstream, code: this.code, detail: this.detail };
  }

  toGraphQLError() {
    return codedError(this.code, this.message, this.clientExtensions);
  }
}

// A brand survives duplicate module copies (jest module registries) where instanceof would not.
export const isUpstreamError = (e: unknown): e is UpstreamError =>
  typeof e === 'object' && e !== null && 'isUpstreamError' in e && e.isUpstreamError === true;
