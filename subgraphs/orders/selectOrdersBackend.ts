import type { Logger } from 'pino';
import { createUpstream, type UpstreamDeps } from '../../upstream/createUpstream';
import type { Upstream } from '../../upstream/Upstream';
import { LegacyOrdersBackend } from './backends/legacy/LegacyOrdersBackend';
import { LegacyOrderWrites } from './backends/legacy/LegacyOrderWrites';
import { MergedOrderHistory } from './backends/merged/MergedOrderHistory';
import { RoutingOrdersBackend } from './backends/routing/RoutingOrdersBackend';
import { VendorOrdersBackend } from './backends/vendor/VendorOrdersBackend';
import { VendorTokenProvider } from './backends/vendor/VendorTokenProvider';
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

/**
 * The one place that looks at ORDERS_BACKEND. Exhaustive: a new mode will not compile until handled
 * here. The mode picks the history; single orders are routed by number in every mode.
 */
export function selectOrdersBackend(
  config: OrdersConfig,
  logger: Logger,
  upstreamDeps: UpstreamDeps = {},
): SelectedBackend {
  const legacyUpstream = createUpstream(config.legacy, upstreamDeps);
  const legacy = new LegacyOrdersBackend({
    upstream: legacyUpstream,
    receiptBaseUrl: config.receiptBaseUrl,
    logger,
  });
  const vendor = config.vendor ? createVendorBackend(config.vendor, logger, upstreamDeps) : null;
  const upstreams = [legacyUpstream, ...(vendor?.upstreams ?? [])];
  const requireVendor = (): OrdersBackend => {
    // parseOrdersConfig already refuses vendor and merged modes without a vendor configuration.
    if (!vendor) throw new Error(`ORDERS_BACKEND=${config.backend} needs the vendor configuration`);
    return vendor.backend;
  };
  let history: OrderHistorySource;
  switch (config.backend) {
    case 'legacy':
      history = legacy;
      break;
    case 'vendor':
      history = requireVendor();
      break;
    case 'merged':
      history = new MergedOrderHistory({ systems: [legacy, requireVendor()], logger });
      break;
    default:
      return assertNever(config.backend);
  }
  const backend = new RoutingOrdersBackend({
    history,
    legacy,
    vendor: vendor?.backend ?? null,
    legacyNumberPattern: config.legacyNumberPattern,
  });
  const legacyWrites = new LegacyOrderWrites({
    upstream: legacyUpstream,
    receiptBaseUrl: config.receiptBaseUrl,
    logger,
  });
  const writesFor = (orderNumber: string): OrderWrites | null =>
    config.legacyNumberPattern.test(orderNumber) ? legacyWrites : null;
  return { backend, upstreams, writesFor };
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
