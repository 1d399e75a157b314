import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import { readSubgraphSdl } from '../../gateway/composeSupergraph';
import { createMetricsRegistry } from '../../platform/createMetricsRegistry';
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
}

export async function createCatalogSubgraph(
  config: CatalogConfig,
  deps: CatalogSubgraphDeps,
): Promise<SubgraphServer> {
  const metrics = createMetricsRegistry('catalog-subgraph');
  const upstream = createUpstream(config.discovery, {
    metrics: createUpstreamMetrics(metrics),
    logger: deps.logger,
  });
  const backend = new DiscoveryCatalogBackend(upstream);
  const server = await createSubgraphServer<CatalogContext>({
    name: 'catalog',
    sdl: readSubgraphSdl('catalog.graphql'),
    resolvers: catalogResolvers,
    logger: deps.logger,
    metrics,
    upstreams: [upstream],
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
    },
  };
}
