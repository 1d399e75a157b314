import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { servePlain } from './plainServer';
import { verifiedAuthorization } from './plainVerify';

// The plain gateway: stock @apollo/gateway composing the two plain subgraphs by introspection, the
// stock data source forwarding the Authorization header, and the token verified with jsonwebtoken
// (same secret, issuer and audience as ours) before anything runs.

interface Context {
  authorization: string;
}

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: 'orders', url: process.env.ORDERS_SUBGRAPH_URL! },
      { name: 'catalog', url: process.env.CATALOG_SUBGRAPH_URL! },
    ],
  }),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<Context>({
      url,
      willSendRequest({ request, context }) {
        if (context.authorization) request.http?.headers.set('authorization', context.authorization);
      },
    }),
});

void servePlain<Context>('gateway', process.env.GATEWAY_PORT, { gateway }, async (req) => ({
  authorization: verifiedAuthorization(req.headers),
}));
