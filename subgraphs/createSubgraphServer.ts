import type { IncomingHttpHeaders, Server } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { context, type Tracer } from '@opentelemetry/api';
import { startInProcessSpan } from '../platform/tracing/startInProcessSpan';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError, parse } from 'graphql';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Upstream } from '../upstream/Upstream';
import { nameRequestSpan } from '../platform/plugins/nameRequestSpan';
import { reportDegraded } from '../platform/plugins/reportDegraded';
import { enforceArgumentBounds } from '../platform/plugins/enforceArgumentBounds';
import { ARGUMENT_BOUNDS } from '../schema/argumentBounds';
import { statusRoutes, upstreamSummary, type StatusExtra } from '../platform/http/statusRoutes';
import { createFormatError } from '../platform/createFormatError';
import { ErrorCode } from '../platform/ErrorCode';
import { queryLimitOptions } from '../platform/graphql/limits/queryLimitOptions';
import { createGraphQLHandler } from '../platform/http/createGraphQLHandler';
import { createHttpServer } from '../platform/http/createHttpServer';
import type { Handler } from '../platform/http/Routes';
import { healthRoutes, probeRoutes } from '../platform/http/healthRoutes';
import { sendJson } from '../platform/http/sendJson';
import {
  SUBGRAPH_SECRET_HEADER,
  SUBGRAPH_SECRET_SCHEME,
  subgraphSecretMatches,
} from '../platform/http/subgraphSecret';
import { runWithNotices } from '../platform/degradedNotices';
import type {
  InProcessSubgraph,
  SubgraphAnswer,
  SubgraphRequest,
} from '../platform/graphql/InProcessSubgraph';
import { noServiceSdlRule } from './noServiceSdlRule';
import type { SubgraphSecurityConfig } from './subgraphSecurityConfig';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  sdl: string;
  resolvers: GraphQLResolverMap<TContext>;
  /** From the request's headers: the same whether the gateway calls over HTTP or in process. */
  context: (headers: IncomingHttpHeaders) => Promise<TContext>;
  logger: Logger;
  /** The component's registry (upstream metrics are registered in it too). */
  metrics: Registry;
  /** Upstreams to report on `/status` and `/readyz`. */
  upstreams: readonly Upstream[];
  /** The subgraph's own Apollo plugins, after the shared ones. */
  plugins?: readonly ApolloServerPlugin<TContext>[];
  /** Starts each request's SERVER span (createTracing). @default none: requests are not traced */
  tracer?: Tracer;
  /** The shared secret, query limits and introspection switch (parseSubgraphSecurityConfig). */
  security: Readonly<SubgraphSecurityConfig>;
  /** The subgraph's own `/status` sections (the orders rollout's halt state). @default none */
  status?: () => StatusExtra | Promise<StatusExtra>;
}

export interface SubgraphServer extends InProcessSubgraph {
  /** Not listening yet: main.ts or the test harness decides the port. */
  httpServer: Server;
  /** `/metrics`, `/status` and the probes, for the admin port (ADMIN_PORT); not listening yet. */
  adminServer: Server;
  /** `/readyz` answers 503 from now on; requests are still served. */
  beginShutdown(): void;
  stop(): Promise<void>;
  /**
   * The per-request context its pipeline builds from the headers (the token verified again). Read by
   * the execution-ceiling measurement only (bench/executionCeiling.ts); nothing in the product calls it.
   */
  contextFor(headers: IncomingHttpHeaders): Promise<BaseContext>;
}

/**
 * A federation subgraph on node:http: `/graphql` for the gateway only (SUBGRAPH_SECRET_HEADER) and
 * the probes `/healthz`, `/readyz`; `/metrics` and `/status` (and the probes again) on a second server
 * for the admin port.
 */
export async function createSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<SubgraphServer> {
  const { security } = options;
  const { limitsPlugin, ...limits } = queryLimitOptions<TContext>(security.limits);
  const formatError = createFormatError(options.logger);
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({
      typeDefs: parse(options.sdl),
      resolvers: options.resolvers as GraphQLResolverMap<unknown>,
    }),
    formatError,
    includeStacktraceInErrorResponses: false,
    // The gateway's limits again: a document the gateway would refuse is refused here too, before any
    // upstream call, whoever sends it.
    ...limits,
    validationRules: [...limits.validationRules, ...(security.introspection ? [] : [noServiceSdlRule])],
    introspection: security.introspection,
    // "Did you mean …?" lists field names: schema details, off with introspection.
    hideSchemaDetailsFromClientErrors: !security.introspection,
    allowBatchedHttpRequests: false,
    // runMain owns shutdown (drain HTTP, then stop, then close pools); Apollo's own handlers would
    // stop the server and re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    logger: options.logger,
    plugins: [
      // Nothing reads cache hints (no response cache anywhere), and the default cache-control plugin
      // is the only one that watches every field: without it Apollo wraps no resolver at all, which
      // was ~3 % of a subgraph's CPU per page (bench/PROFILE.md).
      ApolloServerPluginCacheControlDisabled(),
      limitsPlugin,
      nameRequestSpan<TContext>(),
      reportDegraded<TContext>(),
      // The gateway's argument bounds again (defence in depth), from the same declaration: refused
      // before any resolver runs, so before any upstream call, idempotency record or queued job.
      enforceArgumentBounds<TContext>(ARGUMENT_BOUNDS),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();
  let ready = true;
  const graphql = gatewayOnly(
    security.sharedSecret,
    createGraphQLHandler({ server: apollo, context: (req) => options.context(req.headers) }),
  );
  const health = {
    isReady: () => ready,
    details: () => upstreamSummary(options.upstreams),
    metrics: options.metrics,
  };
  const httpServer = createHttpServer(
    { 'GET /graphql': graphql, 'POST /graphql': graphql, ...probeRoutes(health) },
    options.logger,
    options.tracer,
  );
  const adminServer = createHttpServer(
    {
      ...healthRoutes(health),
      ...statusRoutes(`${options.name}-subgraph`, options.upstreams, options.status),
    },
    options.logger,
  );
  const execute = async (request: SubgraphRequest, headers: IncomingHttpHeaders): Promise<SubgraphAnswer> => {
    // Its own notice collection, as over HTTP: the gateway's data source carries the notices up from
    // the answer's extensions, once.
    const { result } = runWithNotices(async () => {
      // Its own span, made the request span of this execution: the plugins name and tag it (not the
      // gateway's SERVER span, which is the active one here), and the upstream calls hang below it.
      const span = startInProcessSpan(options.tracer, options.name);
      try {
        return await context.with(span.context, () => runOperation(request, headers));
      } finally {
        span.end();
      }
    });
    const outcome = await result;
    if ('refused' in outcome) return refusedAnswer(outcome.refused, formatError);
    const { body, http } = outcome.response;
    // Subgraph operations carry no @defer or @stream: the planner sends plain ones.
    if (body.kind !== 'single') throw new Error(`${options.name} answered incrementally in process`);
    return { body: body.singleResult, headers: http.headers };
  };
  const runOperation = async (request: SubgraphRequest, headers: IncomingHttpHeaders) => {
    let contextValue: TContext;
    try {
      contextValue = await options.context(headers);
    } catch (error) {
      return { refused: error };
    }
    return { response: await apollo.executeOperation<Record<string, unknown>>(request, { contextValue }) };
  };
  return {
    httpServer,
    adminServer,
    execute,
    metrics: options.metrics,
    upstreams: options.upstreams,
    ...(options.status ? { status: options.status } : {}),
    contextFor: (headers) => options.context(headers),
    beginShutdown: () => {
      ready = false;
    },
    stop: async () => {
      ready = false;
      await apollo.stop();
    },
  };
}

/**
 * A context that could not be built (a bad token: UNAUTHENTICATED) answers as Apollo's HTTP handler
 * would: the error formatted, no data.
 */
function refusedAnswer(error: unknown, formatError: ReturnType<typeof createFormatError>): SubgraphAnswer {
  const graphQLError =
    error instanceof GraphQLError
      ? error
      : new GraphQLError('Context creation failed', { originalError: error as Error });
  return { body: { errors: [formatError(graphQLError.toJSON(), graphQLError)] }, headers: new HeaderMap() };
}

/**
 * Serves `handler` only to the gateway: a request without the shared secret gets 401 before its body
 * is read, so it never parses, executes or reaches an upstream, whatever it asks (`_service` included).
 */
function gatewayOnly(secret: string, handler: Handler): Handler {
  return (req, res) => {
    if (subgraphSecretMatches(req.headers[SUBGRAPH_SECRET_HEADER], secret)) return handler(req, res);
    // The connection is not kept for a body we will not read.
    res.setHeader('connection', 'close');
    sendJson(
      res,
      401,
      {
        errors: [
          {
            message: 'This subgraph serves the gateway only',
            extensions: { code: ErrorCode.UNAUTHENTICATED },
          },
        ],
      },
      { 'www-authenticate': SUBGRAPH_SECRET_SCHEME },
    );
  };
}
