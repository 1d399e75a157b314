import { ErrorCode } from '../../platform/ErrorCode';
import { UpstreamError, type UpstreamErrorDetail } from '../../upstream/UpstreamError';

/**
 * The LMS refused to issue Switchyard's service token (wrong client id or secret, a disabled
 * application): an operator has to change the configuration, so trying again later will not help.
 * Still UPSTREAM_ERROR for clients, naming the OAuth2 upstream; only `retryable` differs.
 */
export class ServiceCredentialsError extends UpstreamError {
  readonly isServiceCredentialsError = true;

  constructor(upstream: string, message: string, detail: UpstreamErrorDetail = {}) {
    super(upstream, ErrorCode.UPSTREAM_ERROR, message, detail);
    this.name = 'ServiceCredentialsError';
  }

  override get retryable(): boolean {
    return false;
  }
}
