import { createGateway } from '../../gateway/createGateway';
import { parseGatewayConfig } from '../../gateway/gatewayConfig';
import type { Env } from '../../platform/config/parseEnv';
import { close, listen } from '../../platform/http/listen';
import { createFaultProxy, type FaultProxy } from '../../simulators/faultProxy/createFaultProxy';
import { createGraphQLClient, type GraphQLClient } from './GraphQLClient';
import type { ChaosStack } from './startChaosStack';

export interface SideGateway {
  /** TCP fault proxy between this gateway and the stack's orders subgraph. */
  ordersProxy: FaultProxy;
  gateway: GraphQLClient;
  url: string;
  stop(): Promise<void>;
}

/**
 * A second gateway on a running chaos stack whose orders subgraph is reached through a fault proxy
 * (`ORDERS_SUBGRAPH_URL`), the catalog directly. The stack's subgraphs only get their ports once
 * started, so the proxy and this gateway come after them rather than inside createLocalStack.
 */
export async function startSideGateway(chaos: ChaosStack, knobs: Env): Promise<SideGateway> {
  const ordersPort = Number(new URL(chaos.stack.ordersUrl).port);
  const ordersProxy = await createFaultProxy({ target: { host: '127.0.0.1', port: ordersPort } });
  try {
    const config = parseGatewayConfig({
      RATE_LIMIT_ENABLED: 'false',
      ...knobs,
      // The stack's subgraphs serve only a gateway that holds their secret.
      SUBGRAPH_SHARED_SECRET: chaos.stack.subgraphSecret,
      ORDERS_SUBGRAPH_URL: `${ordersProxy.url}/graphql`,
      CATALOG_SUBGRAPH_URL: `${chaos.stack.catalogUrl}/graphql`,
    });
    const gateway = await createGateway(config, { logger: chaos.breakers.logger('side-gateway') });
    const url = await listen(gateway.httpServer, 0);
    const client = createGraphQLClient(`${url}/graphql`, chaos.authorization);
    return {
      ordersProxy,
      gateway: client,
      url,
      stop: async () => {
        ordersProxy.clearFaults();
        await client.close();
        await close(gateway.httpServer, 1000);
        await gateway.stop();
        await ordersProxy.close();
      },
    };
  } catch (error) {
    await ordersProxy.close();
    throw error;
  }
}
