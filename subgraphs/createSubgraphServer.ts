import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import type { Tracer } from '@opentelemetry/api';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Upstream } from '../upstream/Upstream';
import { nameRequestSpan } from '../platform/plugins/nameRequestSpan';
import { reportDegraded } from '../platform/plugins/reportDegraded';
import { statusRoutes, upstreamSummary } from '../platform/http/statusRoutes';
import { createFormatError } from '../platform/createFormatError';
import { createGraphQLHandler } from '../platform/http/createGraphQLHandler';
import { createHttpServer } from '../platform/http/createHttpServer';
import { healthRoutes } from '../platform/http/healthRoutes';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  sdl: string;
  resolvers: GraphQLResolverMap<TContext>;
  context: (req: IncomingMessage) => Promise<TContext>;
  logger: Logger;
  /** The component's registry (upstream metrics are registered in it too). */
  metrics: Registry;
  /** Upstreams to report on `/status` and `/readyz`. */
  upstreams: readonly Upstream[];
  /** The subgraph's own Apollo plugins, after the shared ones. */
  plugins?: readonly ApolloServerPlugin<TContext>[];
  /** Starts each request's SERVER span (createTracing). @default none: requests are not traced */
  tracer?: Tracer;
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
    // runMain owns shutdown (drain HTTP, then stop, then close pools); Apollo's own handlers would
    // stop the server and re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    logger: options.logger,
    plugins: [nameRequestSpan<TContext>(), reportDegraded<TContext>(), ...(options.plugins ?? [])],
  });
  await apollo.start();
  let ready = true;
  const graphql = createGraphQLHandler({ server: apollo, context: options.context });
  const httpServer = createHttpServer(
    {
      'GET /graphql': graphql,
      'POST /graphql': graphql,
      ...healthRoutes({
        isReady: () => ready,
        details: () => upstreamSummary(options.upstreams),
        metrics: options.metrics,
      }),
      ...statusRoutes(`${options.name}-subgraph`, options.upstreams),
    },
    options.logger,
    options.tracer,
  );
  return {
    httpServer,
    stop: async () => {
      ready = false;
      await apollo.stop();
    },
  };
}
