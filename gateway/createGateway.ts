import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { verifyAuthorization } from '../platform/auth/verifyAuthorization';
import { createFormatError } from '../platform/createFormatError';
import { createMetricsRegistry } from '../platform/createMetricsRegistry';
import { createGraphQLHandler } from '../platform/http/createGraphQLHandler';
import { createHttpServer, type Routes } from '../platform/http/createHttpServer';
import { healthRoutes } from '../platform/http/healthRoutes';
import { REQUEST_ID_HEADER, requestIdFrom } from '../platform/http/requestIdFrom';
import { nameRequestSpan } from '../platform/plugins/nameRequestSpan';
import { createTracing } from '../platform/tracing/createTracing';
import { setRequestId } from '../platform/tracing/requestSpan';
import { createUpstream } from '../upstream/createUpstream';
import { createUpstreamMetrics } from '../upstream/UpstreamMetrics';
import { markReplayed } from '../platform/plugins/markReplayed';
import { reportDegraded } from '../platform/plugins/reportDegraded';
import { statusRoutes, upstreamSummary } from '../platform/http/statusRoutes';
import { schemaDirectory } from './composeSupergraph';
import { DEFAULT_QUERY } from './explorer/defaultQuery';
import { explorerRoutes } from './explorer/explorerRoutes';
import { maxAliasesRule } from './limits/maxAliasesRule';
import { maxDepthRule } from './limits/maxDepthRule';
import type { GatewayConfig } from './gatewayConfig';
import type { GatewayContext } from './GatewayContext';
import { logMutationEnd } from './logMutationEnd';
import { echoRequestId } from './plugins/echoRequestId';
import { noteOperation } from './plugins/noteOperation';
import { requireAuthentication } from './plugins/requireAuthentication';
import { SubgraphDataSource } from './SubgraphDataSource';

export interface GatewayDeps {
  logger: Logger;
  /** Pre-fills the explorer's Authorization header (npm start on the simulators). */
  demoAuthorization?: string;
  /** @default schema/supergraph.graphql */
  supergraphSdl?: string;
  /** Receives the gateway's spans instead of the configured OTLP endpoint (tests). */
  spanProcessor?: SpanProcessor;
}

export interface Gateway {
  httpServer: Server;
  stop(): Promise<void>;
}

/**
 * The federation gateway (not listening). The supergraph is static — composed at build time and
 * committed — so a subgraph that is down at start-up cannot stop the gateway from serving the rest.
 */
export async function createGateway(config: GatewayConfig, deps: GatewayDeps): Promise<Gateway> {
  const metrics = createMetricsRegistry('gateway');
  const upstreamMetrics = createUpstreamMetrics(metrics);
  const tracing = createTracing(config.tracing, { spanProcessor: deps.spanProcessor, logger: deps.logger });
  const upstreams = Object.values(config.subgraphs).map((options) =>
    createUpstream(options, { metrics: upstreamMetrics, logger: deps.logger, tracer: tracing.tracer }),
  );
  const byName = new Map(upstreams.map((u) => [u.name, u]));
  const gateway = new ApolloGateway({
    supergraphSdl: deps.supergraphSdl ?? readFileSync(join(schemaDirectory(), 'supergraph.graphql'), 'utf8'),
    buildService: ({ name }) => {
      const upstream = byName.get(name);
      if (!upstream) throw new Error(`supergraph names subgraph "${name}" but no URL is configured for it`);
      if (config.subgraphClient === 'apollo-default')
        return baselineDataSource(config.subgraphs[name as 'orders'].baseUrl);
      return new SubgraphDataSource(upstream);
    },
    logger: deps.logger,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createFormatError(deps.logger),
    includeStacktraceInErrorResponses: false,
    // Rejected before planning, so an abusive document never reaches a subgraph.
    validationRules: [maxDepthRule(config.limits.maxDepth), maxAliasesRule(config.limits.maxAliases)],
    parseOptions: { maxTokens: config.limits.maxTokens },
    // One operation per request: array batches would multiply work past every per-operation limit.
    allowBatchedHttpRequests: false,
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: !config.introspection,
    // runMain owns shutdown (drain HTTP, then stop, then close pools); Apollo's own handlers would
    // stop the server and re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    logger: deps.logger,
    plugins: [
      nameRequestSpan<GatewayContext>(),
      noteOperation(),
      requireAuthentication(),
      echoRequestId(),
      markReplayed<GatewayContext>(),
      reportDegraded<GatewayContext>(),
    ],
  });
  await apollo.start();
  let ready = true;

  const context = async (req: IncomingMessage, res: ServerResponse): Promise<GatewayContext> => {
    const value: GatewayContext = {
      // Throws UNAUTHENTICATED for a present-but-bad token: nothing downstream runs.
      identity: verifyAuthorization(req.headers.authorization, config.jwt),
      authorization: req.headers.authorization,
      requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]),
      forwardHeaders: pickForwarded(req.headers),
      replayed: false,
      notes: { operation: null, replayed: false },
    };
    setRequestId(value.requestId);
    logMutationEnd(res, value, deps.logger);
    return value;
  };
  const graphql = createGraphQLHandler({ server: apollo, context });
  const routes: Routes = {
    'GET /graphql': graphql,
    'POST /graphql': graphql,
    ...healthRoutes({ isReady: () => ready, details: () => upstreamSummary(upstreams), metrics }),
    ...statusRoutes('gateway', upstreams),
    ...(config.explorerEnabled
      ? explorerRoutes({ defaultQuery: DEFAULT_QUERY, demoAuthorization: deps.demoAuthorization })
      : {}),
  };
  return {
    httpServer: createHttpServer(routes, deps.logger, tracing.tracer),
    stop: async () => {
      ready = false;
      await apollo.stop();
      await Promise.all(upstreams.map((u) => u.close()));
      await tracing.shutdown();
    },
  };
}

/** @apollo/gateway's stock data source plus header forwarding: the benchmark baseline, nothing else. */
function baselineDataSource(url: string) {
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    willSendRequest({ request, context }) {
      if (context.authorization) request.http?.headers.set('authorization', context.authorization);
      if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
    },
  });
}

/** Headers subgraphs may act on; anything else stays at the edge. */
export const FORWARDED_HEADERS = ['idempotency-key', 'x-switchyard-orders-backend'] as const;

function pickForwarded(headers: IncomingMessage['headers']): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers[name];
    const single = Array.isArray(value) ? value[0] : value;
    if (single !== undefined) picked[name] = single;
  }
  return picked;
}
