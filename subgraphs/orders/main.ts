import { runMain } from '../../platform/runMain';
import { createLogger } from '../../platform/createLogger';
import { listen } from '../../platform/http/listen';
import { createOrdersSubgraph } from './createOrdersSubgraph';
import { parseOrdersConfig } from './config/ordersConfig';

// Production entry point of the orders subgraph: configuration from the environment only.
runMain(async () => {
  const config = parseOrdersConfig(process.env);
  const logger = createLogger('orders-subgraph', config.logLevel);
  const subgraph = await createOrdersSubgraph(config, { logger });
  const url = await listen(subgraph.httpServer, config.port, '0.0.0.0');
  const admin = await listen(subgraph.adminServer, config.admin.port, config.admin.host);
  logger.info({ url: `${url}/graphql`, admin, backend: config.mode }, 'orders subgraph listening');
  return subgraph;
}, process.env);
