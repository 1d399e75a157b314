import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayContext } from '../../gateway/GatewayContext';
import type { SubgraphService } from '../../gateway/createGateway';
import { SUBGRAPH_SECRET_HEADER } from '../../platform/http/subgraphSecret';

/**
 * @apollo/gateway's stock data source plus header forwarding: the benchmark's baseline, nothing else.
 * It sends the subgraph secret too, or the subgraphs would refuse it. It calls HTTP outside the
 * upstream kit, with no deadline, which is exactly what it is measured against; it never ships.
 */
export function baselineDataSource({ url, subgraphSecret }: SubgraphService) {
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    willSendRequest({ request, context }) {
      request.http?.headers.set(SUBGRAPH_SECRET_HEADER, subgraphSecret);
      if (context.authorization) request.http?.headers.set('authorization', context.authorization);
      if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
    },
  });
}
