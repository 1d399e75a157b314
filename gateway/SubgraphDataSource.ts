import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
// The enum is not re-exported from the package root; this is where @apollo/gateway defines it.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import { ErrorCode } from '../platform/ErrorCode';
import { SUBGRAPH_SECRET_HEADER, SUBGRAPH_SECRET_SCHEME } from '../platform/http/subgraphSecret';
import { malformedBody } from '../upstream/parseBody';
import type { Upstream } from '../upstream/Upstream';
import { UpstreamError, isUpstreamError } from '../upstream/UpstreamError';
import type { GatewayContext } from './GatewayContext';
import { noteSubgraphAnswer } from './noteSubgraphAnswer';
import { subgraphCallHeaders } from './subgraphCallHeaders';

/**
 * Gateway → subgraph calls through the upstream kit instead of @apollo/gateway's default fetcher
 * (make-fetch-happen: no timeout, unlimited sockets). A dead or hung subgraph becomes a coded error on
 * its part of the plan; the rest of the response still arrives.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly upstream: Upstream,
    /** SUBGRAPH_SHARED_SECRET: proves to the subgraph that the gateway is calling. */
    private readonly subgraphSecret: string,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    // Only a client's operation carries a request context; health checks and schema loads have none.
    const context =
      options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION ? options.context : undefined;
    const { query, variables, operationName } = options.request;
    try {
      const response = await this.upstream.request<GatewayGraphQLResponse>({
        method: 'POST',
        path: '',
        body: { query, variables, operationName },
        headers: {
          ...subgraphCallHeaders(context),
          // Last, so no forwarded header can replace it.
          [SUBGRAPH_SECRET_HEADER]: this.subgraphSecret,
        },
        // Queries are safe to resend after a refused or reset connection; mutations are not.
        idempotent: !isMutation(options),
      });
      if (response.status === 401 && refusedTheGateway(response.headers['www-authenticate'])) {
        // Our own misconfiguration (the two sides hold different secrets), not the client's token:
        // never pass it on as UNAUTHENTICATED, which would send the user to log in again.
        throw new UpstreamError(
          this.upstream.name,
          ErrorCode.UPSTREAM_ERROR,
          `${this.upstream.name} refused the gateway's credentials`,
          { status: response.status, cause: 'SUBGRAPH_SHARED_SECRET differs between gateway and subgraph' },
        );
      }
      const body = response.body;
      if (typeof body !== 'object' || body === null || (!('data' in body) && !('errors' in body))) {
        throw malformedBody(this.upstream.name, undefined, response.status);
      }
      noteSubgraphAnswer(context, body, response.headers['idempotent-replayed']);
      return body;
    } catch (error) {
      if (isUpstreamError(error)) throw error.toGraphQLError();
      throw error;
    }
  }
}

/**
 * Whether this subgraph fetch is a mutation, read from the fetch's own parsed operation: the planner
 * hands it over (createGateway sets `exposeDocumentNodeInFetchNode`), and the query text is parsed only
 * if it did not. Not the client's operation: a mutation's plan also fetches entities, which are queries.
 */
function isMutation(options: GraphQLDataSourceProcessOptions<GatewayContext>): boolean {
  if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return false;
  const { query, operationName } = options.request;
  const document = options.document ?? (query === undefined ? undefined : parse(query));
  if (!document) return false;
  return getOperationAST(document, operationName)?.operation === OperationTypeNode.MUTATION;
}

function refusedTheGateway(header: string | string[] | undefined): boolean {
  const values = Array.isArray(header) ? header : [header ?? ''];
  return values.some((v) => v.trim().toLowerCase().startsWith(SUBGRAPH_SECRET_SCHEME.toLowerCase()));
}
