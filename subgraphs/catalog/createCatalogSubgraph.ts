import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import { readSubgraphSdl } from '../../schema/readSubgraphSdl';
import { createMetricsRegistry } from '../../platform/createMetricsRegistry';
import { createTracing } from '../../platform/tracing/createTracing';
import { createUpstream } from '../../upstream/createUpstream';
import { createUpstreamMetrics } from '../../upstream/UpstreamMetrics';
import { createSubgraphServer, type SubgraphServer } from '../createSubgraphServer';
import { requestBasics } from '../requestBasics';
import { createServiceTokens } from '../serviceIdentity/createServiceTokens';
import { DiscoveryCatalogBackend } from './backends/discovery/DiscoveryCatalogBackend';
import type { CatalogConfig } from './catalogConfig';
import type { CatalogContext } from './CatalogContext';
import type { CourseRun } from './CourseRun';
import { catalogResolvers } from './resolvers';

export interface CatalogSubgraphDeps {
  logger: Logger;
  /** Receives the subgraph's spans instead of the configured OTLP endpoint (tests). */
  spanProcessor?: SpanProcessor;
}

export async function createCatalogSubgraph(
  config: CatalogConfig,
  deps: CatalogSubgraphDeps,
): Promise<SubgraphServer> {
  const metrics = createMetricsRegistry('catalog-subgraph');
  const tracing = createTracing(config.tracing, { spanProcessor: deps.spanProcessor, logger: deps.logger });
  const upstreamDeps = {
    metrics: createUpstreamMetrics(metrics),
    logger: deps.logger,
    tracer: tracing.tracer,
  };
  const upstream = createUpstream(config.discovery, upstreamDeps);
  // Discovery is asked as Switchyard's service user, whatever learner the request is for.
  const service = createServiceTokens(config.serviceIdentity, upstreamDeps);
  const backend = new DiscoveryCatalogBackend(upstream, service);
  const server = await createSubgraphServer<CatalogContext>({
    name: 'catalog',
    sdl: readSubgraphSdl('catalog.graphql'),
    resolvers: catalogResolvers,
    logger: deps.logger,
    metrics,
    upstreams: [upstream, ...service.upstreams],
    tracer: tracing.tracer,
    security: config.security,
    context: async (headers) => {
      const { identity, requestId } = await requestBasics(headers, config.jwt);
      const courseRuns = identity
        ? new DataLoader<string, CourseRun | null>(
            (keys) => backend.getCourseRuns(keys, { identity, requestId }),
            {
              maxBatchSize: config.maxBatchSize,
            },
          )
        : null;
      return { identity, requestId, courseRuns };
    },
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await Promise.all([upstream, ...service.upstreams].map((u) => u.close()));
      await tracing.shutdown();
    },
  };
}
