import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
// The enum is not re-exported from the package root; this is where @apollo/gateway defines it.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { InProcessSubgraph } from '../platform/graphql/InProcessSubgraph';
import type { GatewayContext } from './GatewayContext';
import { noteSubgraphAnswer } from './noteSubgraphAnswer';
import { subgraphCallHeaders } from './subgraphCallHeaders';

/**
 * Gateway → subgraph calls inside one process (colocated/): the subgraph's own Apollo pipeline
 * runs on the same headers an HTTP call would carry, so its JWT check, limits and coded errors apply
 * unchanged; there is no socket, JSON encoding or second parse of the answer. The shared secret has
 * nothing to guard here (no port), and no breaker or deadline wraps the call: the subgraph's upstream
 * calls keep theirs, and a subgraph in this process cannot be down while the gateway is up.
 */
export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: Pick<InProcessSubgraph, 'execute'>) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    // Only a client's operation carries a request context; health checks and schema loads have none.
    const context =
      options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION ? options.context : undefined;
    const { query, variables, operationName } = options.request;
    const answer = await this.subgraph.execute(
      { query, variables, operationName },
      subgraphCallHeaders(context),
    );
    noteSubgraphAnswer(context, answer.body, answer.headers.get('idempotent-replayed'));
    return answer.body as GatewayGraphQLResponse;
  }
}
