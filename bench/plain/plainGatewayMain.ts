import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import jwt from 'jsonwebtoken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { header, servePlain } from './plainServer';

// The plain gateway: stock @apollo/gateway composing the two plain subgraphs by introspection, the
// stock data source forwarding the Authorization header, and the token verified with jsonwebtoken
// (same secret, issuer and audience as ours) before anything runs.

const options = parseJwtEnv(process.env);

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

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

void servePlain<Context>('gateway', process.env.GATEWAY_PORT, { gateway }, async (req) => {
  const authorization = header(req.headers, 'authorization');
  const token = /^(?:JWT|Bearer)\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw unauthenticated('missing token');
  try {
    jwt.verify(token, options.secret ?? '', {
      algorithms: ['HS256'],
      issuer: options.issuer,
      audience: options.audience,
    });
  } catch {
    throw unauthenticated('invalid token');
  }
  return { authorization: authorization! };
});
