import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ErrorCode } from '../platform/ErrorCode';
import type { Upstream } from '../upstream/Upstream';
import { reportNotice, type DegradedNotice } from '../upstream/degradedNotices';
import { UpstreamError, isUpstreamError } from '../upstream/UpstreamError';
import type { GatewayContext } from './GatewayContext';

/**
 * Gateway → subgraph calls through the upstream kit instead of @apollo/gateway's default fetcher
 * (make-fetch-happen: no timeout, unlimited sockets). A dead or hung subgraph becomes a coded error on
 * its part of the plan; the rest of the response still arrives.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(private readonly upstream: Upstream) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const context = 'incomingRequestContext' in options ? options.incomingRequestContext.context : undefined;
    const { query, variables, operationName } = options.request;
    try {
      const response = await this.upstream.request<GatewayGraphQLResponse>({
        method: 'POST',
        path: '',
        body: { query, variables, operationName },
        headers: {
          ...context?.forwardHeaders,
          authorization: context?.authorization,
          'x-request-id': context?.requestId,
        },
        // Queries are safe to resend after a refused or reset connection; mutations are not.
        idempotent: options.request.query?.trimStart().startsWith('mutation') !== true,
      });
      const body = response.body;
      if (typeof body !== 'object' || body === null || (!('data' in body) && !('errors' in body))) {
        throw new UpstreamError(
          this.upstream.name,
          ErrorCode.UPSTREAM_ERROR,
          `${this.upstream.name} returned a malformed body`,
          {
            status: response.status,
          },
        );
      }
      if (context && response.headers['idempotent-replayed'] === 'true') context.replayed = true;
      // Subgraph extensions are not merged by @apollo/gateway; carry the degraded notices up ourselves.
      const degraded = (body.extensions as { degraded?: DegradedNotice[] } | undefined)?.degraded;
      if (Array.isArray(degraded)) degraded.forEach(reportNotice);
      return body;
    } catch (error) {
      if (isUpstreamError(error)) throw error.toGraphQLError();
      throw error;
    }
  }
}
