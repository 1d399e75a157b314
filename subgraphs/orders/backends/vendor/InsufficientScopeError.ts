import { ErrorCode } from '../../../../platform/ErrorCode';
import { UpstreamError } from '../../../../upstream/UpstreamError';

/**
 * The vendor refused a call our token has no scope for (403 `insufficient_scope`): the API client or
 * `VENDOR_SCOPES` lacks it, and only an operator can change that, so trying again will not help. Still
 * UPSTREAM_ERROR for clients, naming the vendor; only `retryable` differs.
 */
export class InsufficientScopeError extends UpstreamError {
  readonly isInsufficientScopeError = true;

  constructor(upstream: string, cause: string) {
    super(
      upstream,
      ErrorCode.UPSTREAM_ERROR,
      `${upstream} refused: our token lacks a scope this call needs`,
      {
        status: 403,
        cause: cause.slice(0, 300),
      },
    );
    this.name = 'InsufficientScopeError';
  }

  override get retryable(): boolean {
    return false;
  }
}
