import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import type { Logger } from 'pino';
import { createFormatError } from '../platform/createFormatError';
import { createMetricsRegistry } from '../platform/createMetricsRegistry';
import { createGraphQLHandler } from '../platform/http/createGraphQLHandler';
import { createHttpServer } from '../platform/http/createHttpServer';
import { healthRoutes } from '../platform/http/healthRoutes';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  sdl: string;
  resolvers: GraphQLResolverMap<TContext>;
  context: (req: IncomingMessage) => Promise<TContext>;
  logger: Logger;
}

export interface SubgraphServer {
  /** Not listening yet: main.ts or the test harness decides the port. */
  httpServer: Server;
  stop(): Promise<void>;
}

/** A federation subgraph on node:http: `/graphql`, `/healthz`, `/readyz`, `/metrics`. */
export async function createSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<SubgraphServer> {
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({
      typeDefs: parse(options.sdl),
      resolvers: options.resolvers as GraphQLResolverMap<unknown>,
    }),
    formatError: createFormatError(options.logger),
    includeStacktraceInErrorResponses: false,
    logger: options.logger,
  });
  await apollo.start();
  let ready = true;
  const graphql = createGraphQLHandler({ server: apollo, context: options.context });
  const httpServer = createHttpServer(
    {
      'GET /graphql': graphql,
      'POST /graphql': graphql,
      ...healthRoutes({ isReady: () => ready, metrics: createMetricsRegistry(`${options.name}-subgraph`) }),
    },
    options.logger,
  );
  return {
    httpServer,
    stop: async () => {
      ready = false;
      await apollo.stop();
    },
  };
}
