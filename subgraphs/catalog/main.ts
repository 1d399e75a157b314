import { createLogger } from '../../platform/createLogger';
import { listen } from '../../platform/http/listen';
import { runMain } from '../../platform/runMain';
import { parseCatalogConfig } from './catalogConfig';
import { createCatalogSubgraph } from './createCatalogSubgraph';

// Production entry point of the catalog subgraph: configuration from the environment only.
runMain(async () => {
  const config = parseCatalogConfig(process.env);
  const logger = createLogger('catalog-subgraph', config.logLevel);
  const subgraph = await createCatalogSubgraph(config, { logger });
  const url = await listen(subgraph.httpServer, config.port, '0.0.0.0');
  const admin = await listen(subgraph.adminServer, config.admin.port, config.admin.host);
  logger.info({ url: `${url}/graphql`, admin }, 'catalog subgraph listening');
  return subgraph;
}, process.env);
