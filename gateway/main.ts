import { createLogger } from '../platform/createLogger';
import { listen } from '../platform/http/listen';
import { runMain } from '../platform/runMain';
import { apolloTelemetryOffByDefault } from './apolloTelemetry';
import { createGateway } from './createGateway';
import { parseGatewayConfig } from './gatewayConfig';

// Production entry point of the gateway: configuration from the environment only.
runMain(async () => {
  apolloTelemetryOffByDefault(process.env);
  const config = parseGatewayConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  const gateway = await createGateway(config, { logger });
  const url = await listen(gateway.httpServer, config.port, '0.0.0.0');
  const admin = await listen(gateway.adminServer, config.admin.port, config.admin.host);
  logger.info({ url: `${url}/graphql`, admin }, 'gateway listening');
  // The operator's "reload now" (kill -HUP), besides the file watcher.
  process.on('SIGHUP', () => void gateway.reloadSupergraph());
  return gateway;
}, process.env);
