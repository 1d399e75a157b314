import { createGateway } from '../../gateway/createGateway';
import { parseGatewayConfig } from '../../gateway/gatewayConfig';
import { createLogger } from '../../platform/createLogger';
import { listen } from '../../platform/http/listen';
import { runMain } from '../../platform/runMain';
import { baselineDataSource } from './baselineDataSource';

// The benchmark's baseline gateway: gateway/main.ts with @apollo/gateway's stock data source in place
// of the kit's. Started by bench/startStack.ts from dist/ for the `apollo-default` run only.
runMain(async () => {
  const config = parseGatewayConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  const gateway = await createGateway(config, { logger, buildService: baselineDataSource });
  const url = await listen(gateway.httpServer, config.port, '0.0.0.0');
  logger.info({ url: `${url}/graphql` }, 'baseline gateway listening');
  return gateway;
});
