import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
// Before @apollo/gateway: it defers the modules of Apollo's own telemetry (see there).
import './apolloTelemetry';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { preflight, withCors } from '../platform/http/corsPolicy';
import { createFormatError } from '../platform/createFormatError';
import { createMetricsRegistry } from '../platform/createMetricsRegistry';
import { queryLimitOptions } from '../platform/graphql/limits/queryLimitOptions';
import { createGraphQLHandler } from '../platform/http/createGraphQLHandler';
import { createHttpServer } from '../platform/http/createHttpServer';
import type { Handler, Routes } from '../platform/http/Routes';
import { healthRoutes, probeRoutes } from '../platform/http/healthRoutes';
import { nameRequestSpan } from '../platform/plugins/nameRequestSpan';
import { createTracing } from '../platform/tracing/createTracing';
import { markReplayed } from '../platform/plugins/markReplayed';
import { reportDegraded } from '../platform/plugins/reportDegraded';
import { enforceCostLimit } from '../platform/plugins/enforceCostLimit';
import { enforceArgumentBounds } from '../platform/plugins/enforceArgumentBounds';
import { ARGUMENT_BOUNDS } from '../schema/argumentBounds';
import { mergedStatusExtras, statusBody, statusRoutes, upstreamSummary } from '../platform/http/statusRoutes';
import { createUpstream } from '../upstream/createUpstream';
import type { Upstream } from '../upstream/Upstream';
import { createUpstreamMetrics } from '../upstream/UpstreamMetrics';
import { DEFAULT_QUERY } from './explorer/defaultQuery';
import { explorerRoutes } from './explorer/explorerRoutes';
import type { GatewayConfig } from './gatewayConfig';
import type { GatewayContext, RequestNotes } from './GatewayContext';
import { echoRequestId } from './plugins/echoRequestId';
import { noteOperation } from './plugins/noteOperation';
import { noteErrors } from './plugins/noteErrors';
import { countGraphQLRequests } from './countGraphQLRequests';
import { createRequestMetrics } from './requestMetrics';
import { countFieldUsage } from './plugins/countFieldUsage';
import { enforceSafelist } from './plugins/enforceSafelist';
import { requireAuthentication } from './plugins/requireAuthentication';
import { enforceRateLimits } from './plugins/enforceRateLimits';
import { connectGatewayRedis } from './connectGatewayRedis';
import { createRequestContext } from './createRequestContext';
import { createRateLimiter } from './createRateLimiter';
import { createRateLimitMetrics } from './rateLimitMetrics';
import { createApqCache } from './safelist/createApqCache';
import { APQ_REGISTRATION_WINDOW_MS, guardApqRegistrations } from './plugins/guardApqRegistrations';
import { SubgraphDataSource } from './SubgraphDataSource';
import { InProcessDataSource } from './InProcessDataSource';
import type { InProcessSubgraph } from '../platform/graphql/InProcessSubgraph';
import { combinedMetrics } from '../platform/combinedMetrics';
import { supergraphProblem } from './supergraph/checkSupergraph';
import { createSupergraphSource, type ReloadOutcome } from './supergraph/createSupergraphSource';
import { ConfigError } from '../platform/config/ConfigError';

export interface GatewayDeps {
  logger: Logger;
  /** Pre-fills the explorer's Authorization header (npm start on the simulators). */
  demoAuthorization?: string;
  /** @default schema/supergraph.graphql */
  supergraphSdl?: string;
  /** Receives the gateway's spans instead of the configured OTLP endpoint (tests). */
  spanProcessor?: SpanProcessor;
  /**
   * Builds each subgraph's data source. @default SubgraphDataSource: calls through the subgraph's
   * upstream (deadlines, pools, breaker, coded errors). The benchmark passes @apollo/gateway's stock
   * one here as its baseline (bench/baseline/baselineDataSource.ts).
   */
  buildService?: (subgraph: SubgraphService) => GraphQLDataSource<GatewayContext>;
  /** The rate limiter's clock (ms). @default Date.now; tests move time instead of waiting. */
  now?: () => number;
  /**
   * Subgraphs executed in this process (colocated/) instead of called over HTTP: no client is
   * made for their URLs, `/status` and `/readyz` show their upstreams, `/metrics` their registries.
   */
  inProcessSubgraphs?: Readonly<Partial<Record<SubgraphName, InProcessSubgraph>>>;
}

type SubgraphName = keyof GatewayConfig['subgraphs'];

/** What a data source for one subgraph is built from. */
export interface SubgraphService {
  name: string;
  /** The subgraph's configured GraphQL URL (ORDERS_SUBGRAPH_URL, CATALOG_SUBGRAPH_URL). */
  url: string;
  /** The kit's client for it, created either way: `/status` and `/readyz` report on it. */
  upstream: Upstream;
  /** SUBGRAPH_SHARED_SECRET: every call must carry it, or the subgraph refuses it. */
  subgraphSecret: string;
}

export interface Gateway {
  httpServer: Server;
  /** `/metrics`, `/status` and the probes, for the admin port (ADMIN_PORT); not listening yet. */
  adminServer: Server;
  /** `/readyz` answers 503 from now on; requests are still served. */
  beginShutdown(): void;
  /** Reads the supergraph file again and applies it if it passes the checks (SIGHUP). */
  reloadSupergraph(): Promise<ReloadOutcome>;
  /** Every registry `/metrics` serves (the in-process subgraphs' too): a cluster primary sums them. */
  registries: readonly Registry[];
  /** The `/status` body, for a cluster primary that serves the admin port for its workers. */
  status(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

function readSupergraphFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`SUPERGRAPH_PATH: cannot read ${path} (${(error as Error).message})`);
  }
}

/**
 * The federation gateway (not listening). The supergraph is static — composed at build time and
 * committed — so a subgraph that is down at start-up cannot stop the gateway from serving the rest.
 */
export async function createGateway(config: GatewayConfig, deps: GatewayDeps): Promise<Gateway> {
  const metrics = createMetricsRegistry('gateway');
  const upstreamMetrics = createUpstreamMetrics(metrics);
  const tracing = createTracing(config.tracing, { spanProcessor: deps.spanProcessor, logger: deps.logger });
  const inProcess = deps.inProcessSubgraphs ?? {};
  const upstreams = Object.values(config.subgraphs)
    .filter((options) => !inProcess[options.name as SubgraphName])
    .map((options) =>
      createUpstream(options, { metrics: upstreamMetrics, logger: deps.logger, tracer: tracing.tracer }),
    );
  const byName = new Map(upstreams.map((u) => [u.name, u]));
  const local = Object.values(inProcess).filter((s): s is InProcessSubgraph => s !== undefined);
  // What `/status` and `/readyz` report: the gateway's own clients and the in-process subgraphs'.
  const reported = [...upstreams, ...local.flatMap((s) => s.upstreams)];
  const sections = mergedStatusExtras(local.flatMap((s) => (s.status ? [s.status] : [])));
  const rateLimitMetrics = createRateLimitMetrics(metrics);
  const redis = await connectGatewayRedis(config.redisUrl, deps.logger);
  const rateLimiter = config.rateLimit.enabled
    ? createRateLimiter(config.rateLimit, { redis, metrics: rateLimitMetrics, now: deps.now })
    : null;
  // APQ registrations are counted per user whether or not RATE_LIMIT_ENABLED: they bound what one
  // caller may park in the shared Redis, not how often it may call.
  const apqRegistrations = createRateLimiter(
    { ...config.rateLimit, windowMs: APQ_REGISTRATION_WINDOW_MS },
    { redis, metrics: rateLimitMetrics, now: deps.now },
  );
  const buildService =
    deps.buildService ??
    (({ upstream, subgraphSecret }: SubgraphService) => new SubgraphDataSource(upstream, subgraphSecret));
  // A supergraph given in code (tests, the benchmark's baseline) is fixed; the file reloads.
  const supergraphPath = deps.supergraphSdl === undefined ? config.supergraph.path : null;
  const initialSdl = deps.supergraphSdl ?? readSupergraphFile(config.supergraph.path);
  const supergraphCheck = {
    subgraphs: Object.keys(config.subgraphs),
    manifest: config.persistedQueries.manifest,
  };
  const problem = await supergraphProblem(initialSdl, supergraphCheck);
  if (problem) throw new Error(`supergraph ${supergraphPath ?? '(given in code)'} ${problem}`);
  const supergraph = createSupergraphSource({
    path: supergraphPath,
    initialSdl,
    watchIntervalMs: config.supergraph.watchIntervalMs,
    ...supergraphCheck,
    logger: deps.logger,
    metrics,
  });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.hook,
    buildService: ({ name }) => {
      const inProcessSubgraph = inProcess[name as SubgraphName];
      if (inProcessSubgraph) return new InProcessDataSource(inProcessSubgraph);
      const upstream = byName.get(name);
      if (!upstream) throw new Error(`supergraph names subgraph "${name}" but no URL is configured for it`);
      const url = config.subgraphs[name as SubgraphName].baseUrl;
      return buildService({ name, url, upstream, subgraphSecret: config.subgraphSecret });
    },
    // Each fetch hands its parsed operation to the data source, which tells a mutation (never resent)
    // from a query by it rather than by the query text.
    queryPlannerConfig: { exposeDocumentNodeInFetchNode: true },
    logger: deps.logger,
  });

  const { limitsPlugin, ...limitOptions } = queryLimitOptions<GatewayContext>(config.limits);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // APQ registrations in Redis when configured (every instance knows a hash any one registered),
    // and the safelist's operations known by id on every instance from the start.
    // Each registration bounded in bytes and lifetime, and made by an authenticated user within their
    // hourly count (guardApqRegistrations, boundedApqCache).
    persistedQueries: {
      cache: createApqCache(config.persistedQueries, redis, config.apq),
      ttl: config.apq.ttlSeconds,
    },
    formatError: createFormatError(deps.logger),
    includeStacktraceInErrorResponses: false,
    // Rejected before planning, so an abusive document never reaches a subgraph.
    ...limitOptions,
    // One operation per request: array batches would multiply work past every per-operation limit.
    allowBatchedHttpRequests: false,
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: !config.introspection,
    // runMain owns shutdown (drain HTTP, then stop, then close pools); Apollo's own handlers would
    // stop the server and re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    logger: deps.logger,
    plugins: [
      limitsPlugin,
      nameRequestSpan<GatewayContext>(),
      noteOperation(deps.logger),
      noteErrors(),
      ...(config.fieldUsage.enabled
        ? [countFieldUsage({ clients: new Set(config.fieldUsage.clients), metrics })]
        : []),
      ...(config.persistedQueries.mode === 'require' && config.persistedQueries.manifest
        ? [
            enforceSafelist(config.persistedQueries.manifest, {
              allowIntrospection: config.introspection,
              metrics,
            }),
          ]
        : []),
      // Before any plan runs; Apollo runs these hooks together, so the order here is not the order run.
      ...(rateLimiter ? [enforceRateLimits(config.rateLimit, rateLimiter, rateLimitMetrics)] : []),
      requireAuthentication(),
      guardApqRegistrations(config.apq, config.rateLimit, apqRegistrations, metrics),
      // Demand control: the estimate from the supergraph's @cost/@listSize, before any plan runs.
      enforceCostLimit<GatewayContext>({ gateway, maxCost: config.maxCost, metrics }),
      // Every argument within its bound (schema/argumentBounds.ts) before any plan runs: an oversized
      // value is refused here, and its bytes go no further than this process. After the cost limit,
      // so that a page both too costly and too large is answered COST_LIMIT_EXCEEDED, as before.
      enforceArgumentBounds<GatewayContext>(ARGUMENT_BOUNDS),
      echoRequestId(),
      markReplayed<GatewayContext>(),
      reportDegraded<GatewayContext>(),
    ],
  });
  await apollo.start();
  let ready = true;
  // Each request's notes by its HTTP request, so the counter can read what Apollo answered; weak, so
  // a request's entry goes with it.
  const notesOf = new WeakMap<IncomingMessage, RequestNotes>();

  const context = createRequestContext(config, deps.logger, notesOf);
  const graphql = createGraphQLHandler({ server: apollo, context });
  const requestMetrics = createRequestMetrics(metrics);
  // Outermost, so a request refused by the CORS policy or before Apollo is counted too.
  const counted = (handler: Handler) =>
    countGraphQLRequests(handler, requestMetrics, (req) => notesOf.get(req)?.errors);
  const health = {
    isReady: () => ready,
    details: () => upstreamSummary(reported),
    metrics: local.length === 0 ? metrics : combinedMetrics([metrics, ...local.map((s) => s.metrics)]),
  };
  const adminRoutes: Routes = { ...healthRoutes(health), ...statusRoutes('gateway', reported, sections) };
  const routes: Routes = {
    // CORS: credentials for the MFE origins of CORS_ORIGIN_WHITELIST only (platform/http/corsPolicy.ts).
    'GET /graphql': counted(withCors(graphql, config.browser.cors)),
    'POST /graphql': counted(withCors(graphql, config.browser.cors)),
    'OPTIONS /graphql': preflight(config.browser.cors),
    // `/metrics` and `/status` live on the admin port only: they describe the deployment to anyone.
    ...probeRoutes(health),
    ...(config.explorerEnabled
      ? explorerRoutes({ defaultQuery: DEFAULT_QUERY, demoAuthorization: deps.demoAuthorization })
      : {}),
  };
  return {
    httpServer: createHttpServer(routes, deps.logger, tracing.tracer),
    adminServer: createHttpServer(adminRoutes, deps.logger),
    reloadSupergraph: () => supergraph.reload(),
    registries: [metrics, ...local.map((s) => s.metrics)],
    status: () => statusBody('gateway', reported, sections),
    beginShutdown: () => {
      ready = false;
    },
    stop: async () => {
      ready = false;
      await apollo.stop();
      await Promise.all(upstreams.map((u) => u.close()));
      await rateLimiter?.close();
      await apqRegistrations.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
      await tracing.shutdown();
    },
  };
}
