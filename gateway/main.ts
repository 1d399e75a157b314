import { createLogger } from '../platform/createLogger';
import { listen } from '../platform/http/listen';
import { runMain } from '../platform/runMain';
import { createGateway } from './createGateway';
import { parseGatewayConfig } from './gatewayConfig';

// Production entry point of the gateway: configuration from the environment only.
runMain(async () => {
  const config = parseGatewayConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  const gateway = await createGateway(config, { logger });
  const url = await listen(gateway.httpServer, config.port, '0.0.0.0');
  logger.info({ url: `${url}/graphql` }, 'gateway listening');
  return gateway;
});
