import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import { readSubgraphSdl } from '../../gateway/composeSupergraph';
import { createMetricsRegistry } from '../../platform/createMetricsRegistry';
import { createTracing } from '../../platform/tracing/createTracing';
import { createUpstream } from '../../upstream/createUpstream';
import { createUpstreamMetrics } from '../../upstream/UpstreamMetrics';
import { createSubgraphServer, type SubgraphServer } from '../createSubgraphServer';
import { requestBasics } from '../requestBasics';
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
  const upstream = createUpstream(config.discovery, {
    metrics: createUpstreamMetrics(metrics),
    logger: deps.logger,
    tracer: tracing.tracer,
  });
  const backend = new DiscoveryCatalogBackend(upstream);
  const server = await createSubgraphServer<CatalogContext>({
    name: 'catalog',
    sdl: readSubgraphSdl('catalog.graphql'),
    resolvers: catalogResolvers,
    logger: deps.logger,
    metrics,
    upstreams: [upstream],
    tracer: tracing.tracer,
    context: async (req) => {
      const { identity, requestId } = requestBasics(req, config.jwt);
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
    httpServer: server.httpServer,
    stop: async () => {
      await server.stop();
      await upstream.close();
      await tracing.shutdown();
    },
  };
}
