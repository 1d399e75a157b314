import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createUpstream, type UpstreamDeps } from '../../upstream/createUpstream';
import type { Upstream } from '../../upstream/Upstream';
import { LegacyOrdersBackend } from './backends/legacy/LegacyOrdersBackend';
import { LegacyOrderWrites } from './backends/legacy/LegacyOrderWrites';
import { MergedOrderHistory } from './backends/merged/MergedOrderHistory';
import { RolloutOrdersBackend } from './backends/rollout/RolloutOrdersBackend';
import { RoutingOrdersBackend } from './backends/routing/RoutingOrdersBackend';
import { createShadowMetrics } from './backends/shadow/ShadowMetrics';
import { ShadowOrdersBackend } from './backends/shadow/ShadowOrdersBackend';
import { shadowUpstreamOptions } from './backends/shadow/shadowUpstreamOptions';
import { createVendorOrderWrites } from './backends/vendor/createVendorOrderWrites';
import { VendorOrdersBackend } from './backends/vendor/VendorOrdersBackend';
import { VendorTokenProvider } from './backends/vendor/VendorTokenProvider';
import { ORDERS_BACKENDS, type OrdersBackendName } from './ordersBackendName';
import type { OrdersConfig } from './ordersConfig';
import type { OrderHistorySource, OrdersBackend } from './OrdersBackend';
import type { OrderWrites } from './OrderWrites';
import type { VendorConfig } from './vendorConfig';

export interface SelectedBackend {
  backend: OrdersBackend;
  upstreams: Upstream[];
  /** The writer for the system that owns an order number (routed like `order(number)`); null if none. */
  writesFor: (orderNumber: string) => OrderWrites | null;
}

/** What the rollout and shadow layers need besides configuration. */
export interface OrdersLayerDeps {
  /** The subgraph's metrics registry, where the shadow's counters go. @default a private registry */
  registry?: Registry;
  /** Shadow sampling; injected in tests. @default Math.random */
  random?: () => number;
}

/**
 * Builds the orders backend: the history of ORDERS_BACKEND with single orders routed by number,
 * wrapped in the rollout layer (a sticky share of users, or a staff override, served by another
 * mode) and, when configured, the shadow layer (sampled reads compared in the background).
 */
export function selectOrdersBackend(
  config: OrdersConfig,
  logger: Logger,
  upstreamDeps: UpstreamDeps = {},
  layerDeps: OrdersLayerDeps = {},
): SelectedBackend {
  const systems = createOrderSystems(config, logger, upstreamDeps);
  const { legacy, vendor, legacyUpstream } = systems;
  const upstreams = [...systems.upstreams];
  const histories = historiesOf(systems, logger);
  const routing = new RoutingOrdersBackend({
    history: requireHistory(histories, config.backend),
    legacy,
    vendor,
    legacyNumberPattern: config.legacyNumberPattern,
  });
  const rollout = new RolloutOrdersBackend({
    base: routing,
    baseMode: config.backend,
    rollout: config.rollout,
    histories,
  });
  let backend: OrdersBackend = rollout;
  if (config.shadow) {
    const shadowSystems = createOrderSystems(config, logger, upstreamDeps, { shadow: true });
    upstreams.push(...shadowSystems.upstreams);
    backend = new ShadowOrdersBackend({
      primary: rollout,
      shadow: requireHistory(historiesOf(shadowSystems, logger), config.shadow.backend),
      shadowMode: config.shadow.backend,
      servedMode: (query, context) => rollout.modeFor(query.username, context),
      config: config.shadow,
      metrics: createShadowMetrics(layerDeps.registry ?? new Registry()),
      logger,
      random: layerDeps.random,
    });
  }
  const legacyWrites = new LegacyOrderWrites({
    upstream: legacyUpstream,
    receiptBaseUrl: config.receiptBaseUrl,
    logger,
  });
  // Writes are routed by number like `order(number)`: every non-legacy number is the vendor's.
  const vendorWrites =
    config.vendor && vendor
      ? createVendorOrderWrites(config.vendor, vendor, systems.upstreams, logger)
      : null;
  const writesFor = (orderNumber: string): OrderWrites | null =>
    config.legacyNumberPattern.test(orderNumber) ? legacyWrites : vendorWrites;
  return { backend, upstreams, writesFor };
}

export interface OrderSystems {
  legacy: LegacyOrdersBackend;
  /** Null when no vendor is configured. */
  vendor: VendorOrdersBackend | null;
  legacyUpstream: Upstream;
  upstreams: Upstream[];
}

/**
 * One adapter per system, each on upstream clients of its own. `shadow: true` builds a second,
 * separate set for the shadow layer (see shadowUpstreamOptions). Also used by `npm run compare`.
 */
export function createOrderSystems(
  config: OrdersConfig,
  logger: Logger,
  upstreamDeps: UpstreamDeps = {},
  options: { shadow?: boolean } = {},
): OrderSystems {
  const own = options.shadow ? shadowUpstreamOptions : <T>(o: T) => o;
  const legacyUpstream = createUpstream(own(config.legacy), upstreamDeps);
  const legacy = new LegacyOrdersBackend({
    upstream: legacyUpstream,
    receiptBaseUrl: config.receiptBaseUrl,
    logger,
  });
  const vendorConfig = config.vendor && {
    ...config.vendor,
    api: own(config.vendor.api),
    auth: own(config.vendor.auth),
  };
  const vendor = vendorConfig ? createVendorBackend(vendorConfig, logger, upstreamDeps) : null;
  return {
    legacy,
    vendor: vendor?.backend ?? null,
    legacyUpstream,
    upstreams: [legacyUpstream, ...(vendor?.upstreams ?? [])],
  };
}

/**
 * The one place that maps a mode to the history it serves. Exhaustive: a new mode will not compile
 * until handled here. Null for a mode these systems cannot serve (vendor or merged without a vendor).
 */
export function historiesOf(
  systems: Pick<OrderSystems, 'legacy' | 'vendor'>,
  logger: Logger,
): Readonly<Record<OrdersBackendName, OrderHistorySource | null>> {
  const historyOf = (mode: OrdersBackendName): OrderHistorySource | null => {
    switch (mode) {
      case 'legacy':
        return systems.legacy;
      case 'vendor':
        return systems.vendor;
      case 'merged':
        return (
          systems.vendor && new MergedOrderHistory({ systems: [systems.legacy, systems.vendor], logger })
        );
      default:
        return assertNever(mode);
    }
  };
  return Object.freeze(
    Object.fromEntries(ORDERS_BACKENDS.map((mode) => [mode, historyOf(mode)])) as Record<
      OrdersBackendName,
      OrderHistorySource | null
    >,
  );
}

function requireHistory(
  histories: Readonly<Record<OrdersBackendName, OrderHistorySource | null>>,
  mode: OrdersBackendName,
): OrderHistorySource {
  const history = histories[mode];
  // parseOrdersConfig already refuses a mode that reads the vendor without a vendor configuration.
  if (!history) throw new Error(`orders mode ${mode} needs the vendor configuration`);
  return history;
}

function createVendorBackend(config: VendorConfig, logger: Logger, upstreamDeps: UpstreamDeps) {
  const api = createUpstream(config.api, upstreamDeps);
  const auth = createUpstream(config.auth, upstreamDeps);
  const tokens = new VendorTokenProvider({
    auth,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
  });
  const backend = new VendorOrdersBackend({
    api,
    tokens,
    projectKey: config.projectKey,
    receiptBaseUrl: config.receiptBaseUrl,
    logger,
  });
  return { backend, upstreams: [api, auth] };
}

function assertNever(value: never): never {
  throw new Error(`unhandled orders backend: ${String(value)}`);
}
