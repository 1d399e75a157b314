import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { createCatalogSubgraph } from '../subgraphs/catalog/createCatalogSubgraph';
import { createOrdersSubgraph } from '../subgraphs/orders/createOrdersSubgraph';
import { createGateway, type Gateway } from '../gateway/createGateway';
import type { ColocatedConfig } from './colocatedConfig';

export interface ColocatedDeps {
  /** One logger per component, named as in the separate deployment. */
  logger: (component: 'gateway' | 'orders-subgraph' | 'catalog-subgraph') => Logger;
  /** Receives every component's spans instead of the configured OTLP endpoint (tests). */
  spanProcessor?: SpanProcessor;
}

/**
 * The gateway with both subgraphs executed in its own process (not listening): one port, no
 * gateway → subgraph hop. For single-host deployments; the separate processes stay the default, and
 * a backend team can still move either subgraph out by deploying it alone and giving its URL.
 */
export async function createColocatedGateway(
  config: Readonly<ColocatedConfig>,
  deps: ColocatedDeps,
): Promise<Gateway> {
  const { spanProcessor } = deps;
  const orders = await createOrdersSubgraph(config.orders, {
    logger: deps.logger('orders-subgraph'),
    spanProcessor,
  });
  const catalog = await createCatalogSubgraph(config.catalog, {
    logger: deps.logger('catalog-subgraph'),
    spanProcessor,
  }).catch(async (error: unknown) => {
    await orders.stop();
    throw error;
  });
  const gateway = await createGateway(config.gateway, {
    logger: deps.logger('gateway'),
    spanProcessor,
    inProcessSubgraphs: { orders, catalog },
  }).catch(async (error: unknown) => {
    await Promise.all([orders.stop(), catalog.stop()]);
    throw error;
  });
  return {
    ...gateway,
    beginShutdown: () => {
      gateway.beginShutdown();
      orders.beginShutdown();
      catalog.beginShutdown();
    },
    // The gateway first: no request is left to need a subgraph's pools when they close.
    stop: async () => {
      await gateway.stop();
      await Promise.all([orders.stop(), catalog.stop()]);
    },
  };
}
