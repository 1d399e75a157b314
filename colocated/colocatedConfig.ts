import type { Env } from '../platform/config/parseEnv';
import { parseCatalogConfig, type CatalogConfig } from '../subgraphs/catalog/catalogConfig';
import { parseOrdersConfig, type OrdersConfig } from '../subgraphs/orders/config/ordersConfig';
import { parseGatewayConfig, type GatewayConfig } from '../gateway/gatewayConfig';

/**
 * The three components' settings from one environment, each parsed as its own process would parse it
 * (docs/configuration.md). The subgraph URLs and ports are not used: nothing listens for them.
 */
export interface ColocatedConfig {
  gateway: Readonly<GatewayConfig>;
  orders: Readonly<OrdersConfig>;
  catalog: Readonly<CatalogConfig>;
}

export function parseColocatedConfig(source: Env): Readonly<ColocatedConfig> {
  return Object.freeze({
    gateway: parseGatewayConfig(source),
    orders: parseOrdersConfig(source),
    catalog: parseCatalogConfig(source),
  });
}
