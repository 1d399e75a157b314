import { createLogger } from '../platform/createLogger';
import { listen } from '../platform/http/listen';
import { runMain } from '../platform/runMain';
import { parseColocatedConfig } from './colocatedConfig';
import { createColocatedGateway } from './createColocatedGateway';

// Production entry point of the co-located gateway (both subgraphs in its process): configuration
// from the environment only, the union of the three components' variables.
runMain(async () => {
  const config = parseColocatedConfig(process.env);
  const logger = createLogger('gateway', config.gateway.logLevel);
  const gateway = await createColocatedGateway(config, {
    logger: (component) =>
      component === 'gateway' ? logger : createLogger(component, config.gateway.logLevel),
  });
  const url = await listen(gateway.httpServer, config.gateway.port, '0.0.0.0');
  const admin = await listen(gateway.adminServer, config.gateway.admin.port, config.gateway.admin.host);
  logger.info({ url: `${url}/graphql`, admin, backend: config.orders.mode }, 'co-located gateway listening');
  process.on('SIGHUP', () => void gateway.reloadSupergraph());
  return gateway;
}, process.env);
