import { ApolloGateway, IntrospectAndCompose, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type * as plainCatalogModule from '../plain/plainCatalog';
import type * as plainOrdersModule from '../plain/plainOrders';
import type * as plainVerifyModule from '../plain/plainVerify';
import type { CeilingVariant } from './CeilingVariant';
import { serveSinglePass } from './serveSinglePass';
import { singlePassSchema, supergraphApiSchema } from './singlePassSchema';

// MEASUREMENT ONLY (bench/executionCeiling.ts, issue 25). Variants B and C over the plain stack's
// resolvers (bench/plain/). Those modules read their upstream URLs and JWT settings from process.env
// when loaded, so they are required here, after executionCeiling.ts has set the environment.

interface PlainModules {
  orders: typeof plainOrdersModule;
  catalog: typeof plainCatalogModule;
  verify: typeof plainVerifyModule;
}

function plainModules(): PlainModules {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    orders: require('../plain/plainOrders') as typeof plainOrdersModule,
    catalog: require('../plain/plainCatalog') as typeof plainCatalogModule,
    verify: require('../plain/plainVerify') as typeof plainVerifyModule,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * B: the plain co-located stack's worker, as bench/plain/plainColocatedMain.ts builds it (stock
 * ApolloGateway composing by introspection through LocalGraphQLDataSource, one context carrying both
 * subgraphs' loaders, the token verified by plainVerify), on the stock standalone server, port 0.
 */
export async function startPlainColocated(): Promise<CeilingVariant> {
  const plain = plainModules();
  const schemas = { orders: plain.orders.plainOrdersSchema(), catalog: plain.catalog.plainCatalogSchema() };
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: [
        { name: 'orders', url: 'local:orders' },
        { name: 'catalog', url: 'local:catalog' },
      ],
    }),
    buildService: ({ name }) => new LocalGraphQLDataSource(schemas[name as keyof typeof schemas]),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const authorization = plain.verify.verifiedAuthorization(req.headers);
      return {
        ...plain.orders.plainOrdersContext(authorization),
        ...plain.catalog.plainCatalogContext(),
        authorization,
      };
    },
  });
  return {
    id: 'B',
    label: 'plain co-located (ApolloGateway + LocalGraphQLDataSource, HTTP)',
    url: new URL('/graphql', url).href,
    stop: () => server.stop(),
  };
}

/**
 * C: the floor: the supergraph's API schema executed once by graphql-js over the plain resolvers
 * (bench/ceiling/singlePassSchema.ts), behind a bare endpoint (serveSinglePass.ts) that checks the token
 * as the plain stack does (plainVerify). No Apollo Server, no plan, no `_entities`, no result shaping.
 */
export async function startSinglePassPlain(): Promise<CeilingVariant> {
  const plain = plainModules();
  const schema = singlePassSchema(supergraphApiSchema(), [
    { name: 'orders', schema: plain.orders.plainOrdersSchema() },
    { name: 'catalog', schema: plain.catalog.plainCatalogSchema() },
  ]);
  const served = await serveSinglePass(schema, async (req) => {
    const authorization = plain.verify.verifiedAuthorization(req.headers);
    return {
      orders: plain.orders.plainOrdersContext(authorization),
      catalog: plain.catalog.plainCatalogContext(),
    };
  });
  return { id: 'C', label: 'single pass over the plain resolvers (graphql-js, bare node:http)', ...served };
}
