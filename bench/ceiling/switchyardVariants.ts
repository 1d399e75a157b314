import type { IncomingHttpHeaders } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { execute, parse } from 'graphql';
import type { ColocatedConfig } from '../../colocated/colocatedConfig';
import { createColocatedGateway } from '../../colocated/createColocatedGateway';
import { createGateway, type Gateway } from '../../gateway/createGateway';
import type { GatewayContext } from '../../gateway/GatewayContext';
import { subgraphCallHeaders } from '../../gateway/subgraphCallHeaders';
import { createLogger } from '../../platform/createLogger';
import { close, listen } from '../../platform/http/listen';
import { readSubgraphSdl } from '../../schema/readSubgraphSdl';
import { catalogResolvers } from '../../subgraphs/catalog/resolvers';
import { createCatalogSubgraph } from '../../subgraphs/catalog/createCatalogSubgraph';
import { createOrdersSubgraph } from '../../subgraphs/orders/createOrdersSubgraph';
import { ordersResolvers } from '../../subgraphs/orders/resolvers';
import type { CeilingVariant } from './CeilingVariant';
import { serveSinglePass } from './serveSinglePass';
import { singlePassSchema, supergraphApiSchema, type SinglePassContext } from './singlePassSchema';

// MEASUREMENT ONLY (bench/executionCeiling.ts, issue 25). Variants A, D and E: Switchyard's co-located
// gateway as it ships, and the same gateway whose executor is one graphql-js pass over our own
// subgraph resolvers and contexts. Nothing here is wired into the product.

const LOG_LEVEL = 'warn';
const loggerOf = (component: string) => createLogger(component, LOG_LEVEL);

async function served(id: CeilingVariant['id'], label: string, gateway: Gateway): Promise<CeilingVariant> {
  const url = await listen(gateway.httpServer, 0);
  return {
    id,
    label,
    url: `${url}/graphql`,
    stop: async () => {
      await close(gateway.httpServer, 1000);
      await gateway.stop();
    },
  };
}

/** A: createColocatedGateway as colocated/main.ts builds it, over its HTTP handler on port 0. */
export async function startColocated(config: Readonly<ColocatedConfig>): Promise<CeilingVariant> {
  const gateway = await createColocatedGateway(config, { logger: loggerOf });
  return served('A', 'Switchyard co-located (createColocatedGateway, HTTP)', gateway);
}

/**
 * D: the co-located gateway's Apollo server, HTTP handler, context and plugins unchanged (auth, limits,
 * bounds, cost, rate limits, APQ guard, metrics, request span, degraded notices, formatError), but the
 * ApolloGateway's executor replaced by one graphql-js pass over the subgraphs' own resolvers, each with
 * the context its subgraph would build from the same headers (the token verified again there, its
 * loaders). The ApolloGateway still loads the supergraph (Apollo's schema, the cost model's
 * directives); only its `load` answer is swapped, for this gateway's construction alone.
 */
export async function startSinglePassOurs(config: Readonly<ColocatedConfig>): Promise<CeilingVariant> {
  const { orders, catalog, schema, contextOf } = await ourSinglePass(config);
  const executor = async (requestContext: Parameters<GatewayExecutor>[0]) =>
    execute({
      schema,
      document: requestContext.document,
      operationName: requestContext.operationName,
      variableValues: requestContext.request.variables,
      // The headers an in-process subgraph call carries (gateway/InProcessDataSource.ts).
      contextValue: await contextOf(subgraphCallHeaders(requestContext.context as GatewayContext)),
    });
  const original = ApolloGateway.prototype.load;
  // Apollo Server calls load() once, at start, inside createGateway: patched only until it returns.
  ApolloGateway.prototype.load = async function (this: ApolloGateway, options) {
    const loaded = await original.call(this, options);
    return { ...loaded, executor };
  };
  let gateway: Gateway;
  try {
    gateway = await createGateway(config.gateway, {
      logger: loggerOf('gateway'),
      // Registries and /status as co-located; the executor never calls them.
      inProcessSubgraphs: { orders, catalog },
    });
  } finally {
    ApolloGateway.prototype.load = original;
  }
  const variant = await served(
    'D',
    'single pass over our resolvers, behind our gateway guards (HTTP)',
    gateway,
  );
  return {
    ...variant,
    stop: async () => {
      await variant.stop();
      await Promise.all([orders.stop(), catalog.stop()]);
    },
  };
}

/**
 * E: D without the gateway: the same single pass over our resolvers and contexts (the token verified by
 * each subgraph's context, as in D and A) behind a bare node:http endpoint (serveSinglePass.ts). D − E
 * is what our gateway's Apollo server and guards cost around one execution.
 */
export async function startSinglePassOursBare(config: Readonly<ColocatedConfig>): Promise<CeilingVariant> {
  const { orders, catalog, schema, contextOf } = await ourSinglePass(config);
  const served = await serveSinglePass(schema, (req) => contextOf(req.headers));
  return {
    id: 'E',
    label: 'single pass over our resolvers and contexts, bare node:http (no gateway pipeline)',
    url: served.url,
    stop: async () => {
      await served.stop();
      await Promise.all([orders.stop(), catalog.stop()]);
    },
  };
}

/** Both subgraphs built as co-located, and the single-pass schema over their resolvers. */
async function ourSinglePass(config: Readonly<ColocatedConfig>) {
  const orders = await createOrdersSubgraph(config.orders, { logger: loggerOf('orders-subgraph') });
  const catalog = await createCatalogSubgraph(config.catalog, { logger: loggerOf('catalog-subgraph') });
  const schema = singlePassSchema(supergraphApiSchema(config.gateway.supergraph.path), [
    { name: 'orders', schema: subgraphSchema('orders.graphql', ordersResolvers) },
    { name: 'catalog', schema: subgraphSchema('catalog.graphql', catalogResolvers) },
  ]);
  // Each subgraph's own context from the same headers, as its pipeline would build it.
  const contextOf = async (headers: IncomingHttpHeaders): Promise<SinglePassContext> => {
    const [ordersContext, catalogContext] = await Promise.all([
      orders.contextFor(headers),
      catalog.contextFor(headers),
    ]);
    return { orders: ordersContext, catalog: catalogContext };
  };
  return { orders, catalog, schema, contextOf };
}

type GatewayExecutor = NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;

/** A subgraph's schema as createSubgraphServer builds it: its SDL with its exported resolvers. */
function subgraphSchema(file: string, resolvers: GraphQLResolverMap<never>) {
  return buildSubgraphSchema({
    typeDefs: parse(readSubgraphSdl(file)),
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}
