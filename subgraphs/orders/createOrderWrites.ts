import type { Logger } from 'pino';
import type { UpstreamDeps } from '../../upstream/createUpstream';
import type { Upstream } from '../../upstream/Upstream';
import { createOrderSystems, type OrderSystems } from './backends/createOrderSystems';
import { LegacyOrderWrites } from './backends/legacy/LegacyOrderWrites';
import { createVendorOrderWrites } from './backends/vendor/createVendorOrderWrites';
import type { OrdersConfig } from './config/ordersConfig';
import type { ServiceTokens } from '../serviceIdentity/createServiceTokens';
import type { OrderWrites } from './port/OrderWrites';

export interface OrderWritesDeps {
  logger: Logger;
  /** Metrics, tracer and logger of the upstream clients built here (when `systems` is not given). */
  upstreamDeps?: UpstreamDeps;
  /**
   * The read adapters to share upstream clients with: one pool, bulkhead and breaker per system, and
   * one name in `/status`. @default a set of their own (the refund worker, which serves no reads)
   */
  systems?: OrderSystems;
  /** The process's service identity, for the systems built here (when `systems` is not given). */
  service?: ServiceTokens;
}

export interface OrderWritesByNumber {
  /** The writer for the system that owns an order number (routed like `order(number)`); null if none. */
  writesFor: (orderNumber: string) => OrderWrites | null;
  /** The upstream clients the writers call, for `/status`, `/metrics` and `close()`. */
  upstreams: Upstream[];
}

/**
 * The write side of the orders systems, routed by order number: every number ORDERS_LEGACY_NUMBER_PATTERN
 * matches is the legacy system's, every other the vendor's (null without a vendor configuration).
 * The orders subgraph passes its read systems; the refund worker builds only this.
 */
export function createOrderWrites(config: OrdersConfig, deps: OrderWritesDeps): OrderWritesByNumber {
  const { logger } = deps;
  const systems =
    deps.systems ?? createOrderSystems(config, logger, deps.upstreamDeps, { service: deps.service });
  const legacyWrites = new LegacyOrderWrites({
    upstream: systems.legacyUpstream,
    receiptBaseUrl: config.receiptBaseUrl,
    logger,
  });
  // The vendor's reads decide who may see an order, and so who may change it.
  const vendorWrites =
    config.vendor && systems.vendor
      ? createVendorOrderWrites(config.vendor, systems.vendor, systems.upstreams, logger)
      : null;
  return {
    writesFor: (orderNumber) => (config.legacyNumberPattern.test(orderNumber) ? legacyWrites : vendorWrites),
    upstreams: systems.upstreams,
  };
}
