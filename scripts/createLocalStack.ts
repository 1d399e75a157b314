import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { createCatalogSubgraph } from '../subgraphs/catalog/createCatalogSubgraph';
import { parseCatalogConfig } from '../subgraphs/catalog/catalogConfig';
import { createOrdersSubgraph } from '../subgraphs/orders/createOrdersSubgraph';
import { parseOrdersConfig } from '../subgraphs/orders/config/ordersConfig';
import { parseTracingConfig } from '../platform/tracing/tracingConfig';
import { startRefundWorker } from '../subgraphs/orders/worker/startRefundWorker';
import { createGateway } from '../gateway/createGateway';
import { parseGatewayConfig } from '../gateway/gatewayConfig';
import { signToken } from '../platform/auth/signToken';
import { env, parseEnv, type Env } from '../platform/config/parseEnv';
import { DEFAULT_ADMIN_PORTS } from '../platform/config/adminEnv';
import { close, listen } from '../platform/http/listen';
import { startLocalSimulators } from './startLocalSimulators';
import { DISCOVERY_THROTTLE_RATE } from '../simulators/discovery/createDiscoverySimulator';
import { throttleRateEnv } from '../simulators/kit/UserRateThrottle';
import type { LmsOAuthSimulator } from '../simulators/lms/createLmsOAuthSimulator';
import type { Simulator } from '../simulators/kit/createSimulator';
import {
  LEGACY_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../simulators/legacy/createLegacyEcommerceSimulator';
import type { Seed } from '../simulators/seed/createSeed';
import { LMS_SIMULATOR_DEV_PORT } from '../platform/auth/lmsDevClient';
import type { VendorSimulator } from '../simulators/vendor/createVendorSimulator';

export interface LocalStackOptions {
  env: Env;
  /** Port 0 everywhere (tests) instead of the documented ports. */
  ephemeralPorts?: boolean;
  logger: (component: string) => Logger;
  /** Where each component's spans go instead of the configured OTLP endpoint (tests). */
  spanProcessor?: (component: string) => SpanProcessor;
  seed?: Seed;
  /**
   * Run a deferred-refund worker in-process when REDIS_URL is set. @default true. `npm start` says
   * false and runs the worker as its own process instead (startWorkerProcess), as in production.
   */
  refundWorker?: boolean;
  /**
   * The gateway executes both subgraphs in its process (colocated/), as the co-located
   * deployment does; they still listen on their own ports for direct calls. @default false
   */
  colocated?: boolean;
  /**
   * The components verify learner tokens against the LMS simulator's JWK set only: HS256 is refused
   * (no JWT_SECRET reaches them) and the simulator signs service tokens with its RSA key too. Without
   * it, and unless the environment names a JWK set, they accept both (the simulator's set and the
   * development secret), so HS256 test tokens and the simulator's RSA tokens both work. @default false
   */
  jwksOnly?: boolean;
}

export interface LocalStack {
  gatewayUrl: string;
  ordersUrl: string;
  catalogUrl: string;
  /** Each component's admin port (`/metrics`, `/status`, probes): 127.0.0.1 only in this stack. */
  adminUrls: { gateway: string; orders: string; catalog: string };
  /** Only the simulators that were started (an upstream with a configured URL has none). */
  simulators: {
    legacy?: LegacyEcommerceSimulator;
    discovery?: Simulator;
    vendor?: VendorSimulator;
    /** The LMS's OAuth2 token endpoint, started when LMS_OAUTH2_URL is unset. */
    lms?: LmsOAuthSimulator;
  };
  /**
   * A token for learner1: signed by the LMS simulator's RSA key as its sign-in would (when it runs),
   * else under the configured secret.
   */
  demoToken: string;
  /**
   * SUBGRAPH_SHARED_SECRET as the subgraphs and the gateway were configured (the development default
   * unless the environment sets one): what a test or a tool sends to call a subgraph directly.
   */
  subgraphSecret: string;
  /**
   * The environment the subgraphs were configured from, simulator URLs filled in: what another
   * process (the refund worker) needs to join this stack.
   */
  upstreamEnv: Env;
  stop(): Promise<void>;
}

/**
 * Everything in one process: a simulator for each upstream whose URL is not set, both subgraphs and
 * the gateway, wired by URL exactly as separate processes would be. Used by `npm start` and the tests.
 */
export async function createLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const source = options.env;
  const port = (fixed: number) => (options.ephemeralPorts ? 0 : fixed);
  const ports = parseEnv(
    {
      LEGACY_SIMULATOR_PORT: env.port(4101),
      DISCOVERY_SIMULATOR_PORT: env.port(4102),
      VENDOR_SIMULATOR_PORT: env.port(4103),
      LMS_SIMULATOR_PORT: env.port(LMS_SIMULATOR_DEV_PORT),
      DISCOVERY_SIMULATOR_THROTTLE_RATE: throttleRateEnv(DISCOVERY_THROTTLE_RATE),
      LEGACY_SIMULATOR_THROTTLE_RATE: throttleRateEnv(LEGACY_THROTTLE_RATE),
      ADMIN_PORT: env.port(DEFAULT_ADMIN_PORTS.gateway),
    },
    source,
  );
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const { simulators, withUpstreams, jwt } = await startLocalSimulators(
      source,
      { ...options, port },
      ports,
      stoppers,
    );
    // Three components in one process, so three admin ports: the gateway's is ADMIN_PORT, the orders
    // subgraph's the next, the catalog's the one after (0: each any free port). Local only.
    const adminPort = (component: keyof typeof DEFAULT_ADMIN_PORTS) => ({
      ADMIN_PORT: String(
        ports.ADMIN_PORT === 0
          ? 0
          : port(ports.ADMIN_PORT + DEFAULT_ADMIN_PORTS[component] - DEFAULT_ADMIN_PORTS.gateway),
      ),
      ADMIN_HOST: '127.0.0.1',
    });
    const ordersConfig = parseOrdersConfig({ ...withUpstreams, ...adminPort('orders') });
    const catalogConfig = parseCatalogConfig({ ...withUpstreams, ...adminPort('catalog') });
    const orders = await createOrdersSubgraph(ordersConfig, {
      logger: options.logger('orders-subgraph'),
      spanProcessor: options.spanProcessor?.('orders-subgraph'),
    });
    // With Redis, deferred refunds need a worker; in the one-process dev stack it runs here.
    if (ordersConfig.mutations.redisUrl && options.refundWorker !== false) {
      const worker = startRefundWorker(
        ordersConfig,
        ordersConfig.mutations.redisUrl,
        options.logger('refund-worker'),
        {
          tracing: parseTracingConfig(withUpstreams, 'switchyard-refund-worker'),
          spanProcessor: options.spanProcessor?.('refund-worker'),
        },
      );
      stoppers.unshift(() => worker.stop());
    }
    const ordersUrl = await listen(orders.httpServer, port(ordersConfig.port));
    const ordersAdminUrl = await listen(orders.adminServer, ordersConfig.admin.port, ordersConfig.admin.host);
    stoppers.unshift(async () => {
      await close(orders.adminServer, 1000);
      await close(orders.httpServer, 1000);
      await orders.stop();
    });
    const catalog = await createCatalogSubgraph(catalogConfig, {
      logger: options.logger('catalog-subgraph'),
      spanProcessor: options.spanProcessor?.('catalog-subgraph'),
    });
    const catalogUrl = await listen(catalog.httpServer, port(catalogConfig.port));
    const catalogAdminUrl = await listen(
      catalog.adminServer,
      catalogConfig.admin.port,
      catalogConfig.admin.host,
    );
    stoppers.unshift(async () => {
      await close(catalog.adminServer, 1000);
      await close(catalog.httpServer, 1000);
      await catalog.stop();
    });
    const gatewayConfig = parseGatewayConfig({
      ...withUpstreams,
      ORDERS_SUBGRAPH_URL: source.ORDERS_SUBGRAPH_URL ?? `${ordersUrl}/graphql`,
      CATALOG_SUBGRAPH_URL: source.CATALOG_SUBGRAPH_URL ?? `${catalogUrl}/graphql`,
      ...adminPort('gateway'),
    });
    const onSimulators = Boolean(simulators.legacy);
    const demoToken = simulators.lms
      ? await simulators.lms.learnerToken('learner1', 7 * 24 * 3600)
      : signToken('learner1', jwt, { expiresInSeconds: 7 * 24 * 3600 });
    const gateway = await createGateway(gatewayConfig, {
      logger: options.logger('gateway'),
      spanProcessor: options.spanProcessor?.('gateway'),
      demoAuthorization: onSimulators ? `JWT ${demoToken}` : undefined,
      ...(options.colocated ? { inProcessSubgraphs: { orders, catalog } } : {}),
    });
    const gatewayUrl = await listen(gateway.httpServer, port(gatewayConfig.port));
    const gatewayAdminUrl = await listen(
      gateway.adminServer,
      gatewayConfig.admin.port,
      gatewayConfig.admin.host,
    );
    stoppers.unshift(async () => {
      await close(gateway.adminServer, 1000);
      await close(gateway.httpServer, 1000);
      await gateway.stop();
    });
    return {
      gatewayUrl,
      ordersUrl,
      catalogUrl,
      adminUrls: { gateway: gatewayAdminUrl, orders: ordersAdminUrl, catalog: catalogAdminUrl },
      simulators,
      demoToken,
      subgraphSecret: ordersConfig.security.sharedSecret,
      upstreamEnv: withUpstreams,
      stop: async () => {
        for (const stop of stoppers) await stop();
      },
    };
  } catch (error) {
    for (const stop of stoppers) await stop().catch(() => undefined);
    throw error;
  }
}
