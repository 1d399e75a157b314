import type { z } from 'zod';
import { ErrorCode } from '../../../../platform/ErrorCode';
import type { Upstream, UpstreamResponse } from '../../../../upstream/Upstream';
import { UpstreamError } from '../../../../upstream/UpstreamError';
import type { CallContext } from '../../OrdersBackend';
import type { VendorTokenProvider } from './VendorTokenProvider';

/** Query parameters as pairs: commercetools repeats `where`, `sort`, `expand` and `var.<name>`. */
export type VendorParams = readonly (readonly [string, string | number])[];

/**
 * The vendor's HTTP API under our service token: `GET /{projectKey}/…`, one renewal and retry when the
 * token is rejected, and every answer other than 200 made an upstream error.
 */
export class VendorApi {
  constructor(
    private readonly upstream: Upstream,
    private readonly tokens: VendorTokenProvider,
    private readonly projectKey: string,
  ) {}

  /** The parsed body of a 200; anything else is an upstream error. */
  async get<S extends z.ZodType>(
    resource: string,
    params: VendorParams,
    schema: S,
    context: CallContext,
  ): Promise<z.infer<S>> {
    // The kit's `query` holds one value per name, so the repeated parameters go in the path.
    const search = new URLSearchParams(params.map(([k, v]) => [k, String(v)])).toString();
    const path = `/${encodeURIComponent(this.projectKey)}/${resource}${search ? `?${search}` : ''}`;
    let token = await this.tokens.token();
    let response = await this.send(path, token, context);
    if (response.status === 401) {
      // Revoked or expired early (a key rotation): renew once. A second 401 is not going to change.
      this.tokens.invalidate(token);
      token = await this.tokens.token();
      response = await this.send(path, token, context);
    }
    if (response.status !== 200) {
      // 4xx here is our request or our credential being wrong, never the learner's doing.
      throw new UpstreamError(
        this.upstream.name,
        ErrorCode.UPSTREAM_ERROR,
        `${this.upstream.name} answered ${response.status}`,
        {
          status: response.status,
        },
      );
    }
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) throw malformed(this.upstream.name, parsed.error);
    return parsed.data;
  }

  private send(path: string, token: string, context: CallContext): Promise<UpstreamResponse> {
    return this.upstream.request({
      method: 'GET',
      path,
      headers: { authorization: `Bearer ${token}`, 'x-request-id': context.requestId },
      signal: context.signal,
    });
  }
}

export function malformed(upstream: string, cause: unknown): UpstreamError {
  return new UpstreamError(upstream, ErrorCode.UPSTREAM_ERROR, `${upstream} returned a malformed body`, {
    cause: cause instanceof Error ? cause.message.slice(0, 300) : String(cause),
  });
}
