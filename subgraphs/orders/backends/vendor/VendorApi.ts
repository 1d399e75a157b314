import type { z } from 'zod';
import { expectStatus, unexpectedStatus } from '../../../../upstream/expectStatus';
import { parseBody } from '../../../../upstream/parseBody';
import { sendRenewingOn401 } from '../../../../upstream/sendRenewingOn401';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../../../upstream/Upstream';
import type { CallContext } from '../../port/OrdersBackend';
import { vendorErrorSchema, type VendorErrorBody } from './dto';
import { InsufficientScopeError } from './InsufficientScopeError';
import type { VendorTokenProvider } from './VendorTokenProvider';

/** Query parameters as pairs: commercetools repeats `where`, `sort`, `expand` and `var.<name>`. */
export type VendorParams = readonly (readonly [string, string | number])[];

/** An update's outcome: the new resource, or the refusal the caller has to decide about. */
export type VendorUpdateResult<T> = { status: 200; body: T } | { status: 404 | 409; error: VendorErrorBody };

/**
 * The vendor's HTTP API under our service token: `GET /{projectKey}/…` and updates `POST
 * /{projectKey}/…`, one renewal and retry when the token is rejected, and every answer the caller
 * cannot act on made an upstream error.
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
    const response = await this.send({ method: 'GET', path: this.pathOf(resource, params) }, context);
    // 4xx here is our request or our credential being wrong, never the learner's doing.
    this.rejectMissingScope(response);
    expectStatus(this.upstream.name, response, 200);
    return parseBody(this.upstream.name, schema, response.body);
  }

  /**
   * An update (`{version, actions}`). 404 and 409 are about the resource (gone, or changed since we
   * read it) and are handed back; any other refusal is our request or credential being wrong. Sent
   * once: the kit never retries a write, and neither does this, except after a 401, which the vendor
   * answers before executing anything.
   */
  async post<S extends z.ZodType>(
    resource: string,
    params: VendorParams,
    body: unknown,
    schema: S,
    context: CallContext,
    headers: Record<string, string> = {},
  ): Promise<VendorUpdateResult<z.infer<S>>> {
    const response = await this.send(
      { method: 'POST', path: this.pathOf(resource, params), body, headers, idempotent: false },
      context,
    );
    const name = this.upstream.name;
    if (response.status === 200) return { status: 200, body: parseBody(name, schema, response.body) };
    if (response.status === 404 || response.status === 409) {
      return { status: response.status, error: parseBody(name, vendorErrorSchema, response.body) };
    }
    this.rejectMissingScope(response);
    throw unexpectedStatus(name, response.status);
  }

  /**
   * 403 `insufficient_scope` (commercetools' InsufficientScopeError.raml): the token was accepted but
   * lacks the scope this endpoint needs, and nothing was done. Its own error, since no retry helps.
   */
  private rejectMissingScope(response: UpstreamResponse): void {
    if (response.status !== 403) return;
    const body = vendorErrorSchema.safeParse(response.body).data;
    const missing = body?.errors.find((error) => error.code === 'insufficient_scope');
    if (missing) throw new InsufficientScopeError(this.upstream.name, missing.message ?? body?.message ?? '');
  }

  private pathOf(resource: string, params: VendorParams): string {
    // The kit's `query` holds one value per name, so the repeated parameters go in the path.
    const search = new URLSearchParams(params.map(([k, v]) => [k, String(v)])).toString();
    return `/${encodeURIComponent(this.projectKey)}/${resource}${search ? `?${search}` : ''}`;
  }

  private send(request: UpstreamRequest, context: CallContext): Promise<UpstreamResponse> {
    // Revoked or expired early (a key rotation): renew once. An update is re-sent too: commercetools
    // authenticates the token before it reads the request, so a 401 applied nothing.
    return sendRenewingOn401(
      { current: () => this.tokens.token(), invalidate: (refused) => this.tokens.invalidate(refused) },
      (token) => this.attempt(request, token, context),
    );
  }

  private attempt(request: UpstreamRequest, token: string, context: CallContext): Promise<UpstreamResponse> {
    return this.upstream.request({
      ...request,
      headers: { ...request.headers, authorization: `Bearer ${token}`, 'x-request-id': context.requestId },
      signal: context.signal,
    });
  }
}
