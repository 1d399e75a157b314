import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { createCatalogSubgraph } from '../subgraphs/catalog/createCatalogSubgraph';
import { parseCatalogConfig } from '../subgraphs/catalog/catalogConfig';
import { createOrdersSubgraph } from '../subgraphs/orders/createOrdersSubgraph';
import { parseOrdersConfig } from '../subgraphs/orders/ordersConfig';
import { startRefundWorker } from '../subgraphs/orders/deferred/startRefundWorker';
import { createGateway } from '../gateway/createGateway';
import { parseGatewayConfig } from '../gateway/gatewayConfig';
import { signToken } from '../platform/auth/signToken';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../platform/config/parseEnv';
import { close, listen } from '../platform/http/listen';
import { createDiscoverySimulator } from '../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed, type Seed } from '../simulators/seed/createSeed';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  type VendorSimulator,
} from '../simulators/vendor/createVendorSimulator';

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
}

export interface LocalStack {
  gatewayUrl: string;
  ordersUrl: string;
  catalogUrl: string;
  /** Only the simulators that were started (an upstream with a configured URL has none). */
  simulators: { legacy?: LegacyEcommerceSimulator; discovery?: Simulator; vendor?: VendorSimulator };
  /** A token for learner1 under the configured secret, when running on simulators. */
  demoToken: string;
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
    },
    source,
  );
  const jwt = parseJwtEnv(source);
  const seed =
    options.seed ??
    (source.LEGACY_ECOMMERCE_URL && source.DISCOVERY_URL && source.VENDOR_API_URL ? undefined : createSeed());
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const simulators: LocalStack['simulators'] = {};
    if (!source.LEGACY_ECOMMERCE_URL && seed) {
      simulators.legacy = await createLegacyEcommerceSimulator({
        seed,
        jwt,
        port: port(ports.LEGACY_SIMULATOR_PORT),
      });
      stoppers.unshift(() => simulators.legacy!.close());
    }
    if (!source.DISCOVERY_URL && seed) {
      simulators.discovery = await createDiscoverySimulator({
        seed,
        jwt,
        port: port(ports.DISCOVERY_SIMULATOR_PORT),
      });
      stoppers.unshift(() => simulators.discovery!.close());
    }
    // The vendor simulator accepts whatever project and client the environment names, else dev ones.
    const vendorProject = {
      VENDOR_PROJECT_KEY: source.VENDOR_PROJECT_KEY ?? VENDOR_DEV_PROJECT.projectKey,
      VENDOR_CLIENT_ID: source.VENDOR_CLIENT_ID ?? VENDOR_DEV_PROJECT.clientId,
      VENDOR_CLIENT_SECRET: source.VENDOR_CLIENT_SECRET ?? VENDOR_DEV_PROJECT.clientSecret,
    };
    if (!source.VENDOR_API_URL && seed) {
      simulators.vendor = await createVendorSimulator({
        orders: seed.vendorOrders ?? [],
        projectKey: vendorProject.VENDOR_PROJECT_KEY,
        clientId: vendorProject.VENDOR_CLIENT_ID,
        clientSecret: vendorProject.VENDOR_CLIENT_SECRET,
        port: port(ports.VENDOR_SIMULATOR_PORT),
      });
      stoppers.unshift(() => simulators.vendor!.close());
    }
    const withUpstreams: Env = {
      ...source,
      LEGACY_ECOMMERCE_URL: source.LEGACY_ECOMMERCE_URL ?? simulators.legacy?.url,
      DISCOVERY_URL: source.DISCOVERY_URL ?? simulators.discovery?.url,
      ...(simulators.vendor
        ? { VENDOR_API_URL: simulators.vendor.url, VENDOR_AUTH_URL: simulators.vendor.url, ...vendorProject }
        : {}),
    };
    const ordersConfig = parseOrdersConfig(withUpstreams);
    const catalogConfig = parseCatalogConfig(withUpstreams);
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
      );
      stoppers.unshift(() => worker.stop());
    }
    const ordersUrl = await listen(orders.httpServer, port(ordersConfig.port));
    stoppers.unshift(async () => {
      await close(orders.httpServer, 1000);
      await orders.stop();
    });
    const catalog = await createCatalogSubgraph(catalogConfig, {
      logger: options.logger('catalog-subgraph'),
      spanProcessor: options.spanProcessor?.('catalog-subgraph'),
    });
    const catalogUrl = await listen(catalog.httpServer, port(catalogConfig.port));
    stoppers.unshift(async () => {
      await close(catalog.httpServer, 1000);
      await catalog.stop();
    });
    const gatewayConfig = parseGatewayConfig({
      ...withUpstreams,
      ORDERS_SUBGRAPH_URL: source.ORDERS_SUBGRAPH_URL ?? `${ordersUrl}/graphql`,
      CATALOG_SUBGRAPH_URL: source.CATALOG_SUBGRAPH_URL ?? `${catalogUrl}/graphql`,
    });
    const onSimulators = Boolean(simulators.legacy);
    const demoToken = signToken('learner1', jwt, { expiresInSeconds: 7 * 24 * 3600 });
    const gateway = await createGateway(gatewayConfig, {
      logger: options.logger('gateway'),
      spanProcessor: options.spanProcessor?.('gateway'),
      demoAuthorization: onSimulators ? `JWT ${demoToken}` : undefined,
    });
    const gatewayUrl = await listen(gateway.httpServer, port(gatewayConfig.port));
    stoppers.unshift(async () => {
      await close(gateway.httpServer, 1000);
      await gateway.stop();
    });
    return {
      gatewayUrl,
      ordersUrl,
      catalogUrl,
      simulators,
      demoToken,
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
