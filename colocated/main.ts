import cluster from 'node:cluster';
import { serveAsWorker } from '../platform/cluster/serveAsWorker';
import { superviseWorkers } from '../platform/cluster/superviseWorkers';
import { createLogger } from '../platform/createLogger';
import { listen } from '../platform/http/listen';
import { runMain } from '../platform/runMain';
import { apolloTelemetryOffByDefault } from '../gateway/apolloTelemetry';
import { parseColocatedConfig } from './colocatedConfig';
import type * as colocatedGatewayModule from './createColocatedGateway';

// Production entry point of the co-located gateway (both subgraphs in its process): configuration
// from the environment only, the union of the three components' variables. With COLOCATED_WORKERS
// above 1 this process is the primary: it forks the workers, which run the gateway and share the
// public port, and serves the admin port for all of them.
runMain(async () => {
  const config = parseColocatedConfig(process.env);
  const logger = createLogger('gateway', config.gateway.logLevel);
  if (config.workers > 1 && cluster.isPrimary) {
    const supervisor = superviseWorkers({ workers: config.workers, component: 'gateway', logger });
    const admin = await listen(supervisor.adminServer, config.gateway.admin.port, config.gateway.admin.host);
    logger.info({ workers: config.workers, admin }, 'co-located gateway primary started');
    // The operator's "reload now" reaches every worker (each also watches the file itself).
    process.on('SIGHUP', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
    });
    return supervisor;
  }
  // Required here, not imported at the top: a primary never runs a gateway, and the module graph under
  // it (Apollo Server and gateway, federation, both subgraphs, OpenTelemetry, prom-client …) is
  // ~80 MiB of resident memory the primary would hold for nothing (bench/PROFILE.md, issue 25).
  apolloTelemetryOffByDefault(process.env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createColocatedGateway } = require('./createColocatedGateway') as typeof colocatedGatewayModule;
  const gateway = await createColocatedGateway(config, {
    logger: (component) =>
      component === 'gateway' ? logger : createLogger(component, config.gateway.logLevel),
  });
  const url = await listen(gateway.httpServer, config.gateway.port, '0.0.0.0');
  process.on('SIGHUP', () => void gateway.reloadSupergraph());
  if (cluster.isWorker) {
    // The primary serves the admin port; this worker answers its metrics and status requests.
    serveAsWorker({ registries: gateway.registries, status: gateway.status });
    logger.info(
      { url: `${url}/graphql`, backend: config.orders.mode },
      'co-located gateway worker listening',
    );
    return { ...gateway, adminServer: undefined };
  }
  const admin = await listen(gateway.adminServer, config.gateway.admin.port, config.gateway.admin.host);
  logger.info({ url: `${url}/graphql`, admin, backend: config.orders.mode }, 'co-located gateway listening');
  return gateway;
}, process.env);
