import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import { expectStatus } from '../../../../upstream/expectStatus';
import { sendRenewingOn401 } from '../../../../upstream/sendRenewingOn401';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../../../upstream/Upstream';
import type { UpstreamError } from '../../../../upstream/UpstreamError';
import type { WriteContext } from '../../port/OrderWrites';

/**
 * How the legacy writes reach the API: one call at a time, audited, with the right JWT, and the
 * answers Switchyard does not expect turned into coded errors.
 */
export class LegacyWriteClient {
  constructor(private readonly upstream: Upstream) {}

  /**
   * One call, with the caller's own JWT, or the service user's when the context carries it. The
   * service token is cached for the process and can be refused before it expires (the LMS rotated its
   * signing key): then it is renewed and the call sent once more, whatever the method. Re-sending a
   * write after a 401 cannot apply it twice: ecommerce is a DRF service (JwtAuthentication first in
   * REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES, ecommerce/settings/base.py), and DRF's
   * `APIView.initial` authenticates the request before `dispatch` calls the view, so a 401 means no
   * view code ran (docs/mutations-and-idempotency.md, "Service tokens"). A learner's own token is
   * never renewed here: it is theirs, and a refusal is their answer.
   */
  async send(request: UpstreamRequest, context: WriteContext): Promise<UpstreamResponse> {
    const fields = {
      upstream: this.upstream.name,
      method: request.method,
      path: request.path,
      requestId: context.requestId,
    };
    const { service } = context;
    if (!service) return this.attempt(request, context.identity.token, context, fields);
    return sendRenewingOn401(
      { current: () => service.identity(), invalidate: (refused) => service.invalidate(refused) },
      (identity) => this.attempt(request, identity.token, context, fields),
      () => context.audit('service token refused, renewing', fields),
    );
  }

  rejectUnexpected(response: UpstreamResponse, expected: number): void {
    if (response.status === expected) return;
    if (response.status === 401)
      throw codedError(ErrorCode.UNAUTHENTICATED, 'The ecommerce service rejected the credentials');
    if (response.status === 403) throw codedError(ErrorCode.FORBIDDEN, 'Not allowed to change this order');
    if (response.status === 400)
      throw codedError(ErrorCode.BAD_USER_INPUT, 'The ecommerce service refused the request');
    if (response.status === 404) throw codedError(ErrorCode.NOT_FOUND, 'No such order');
    expectStatus(this.upstreamName, response, expected);
  }

  get upstreamName(): string {
    return this.upstream.name;
  }

  private async attempt(
    request: UpstreamRequest,
    token: string,
    context: WriteContext,
    fields: Record<string, unknown>,
  ): Promise<UpstreamResponse> {
    context.audit('upstream attempt', fields);
    try {
      const response = await this.upstream.request({
        ...request,
        headers: {
          authorization: `JWT ${token}`,
          'x-request-id': context.requestId,
          'idempotency-key': context.idempotencyKey,
        },
        signal: context.signal,
      });
      context.audit('upstream answered', { ...fields, status: response.status });
      return response;
    } catch (error) {
      context.audit('upstream failed', { ...fields, code: (error as UpstreamError).code });
      throw error;
    }
  }
}
