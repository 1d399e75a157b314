import { env, parseEnv, type Env } from '../platform/config/parseEnv';
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
  /**
   * COLOCATED_WORKERS: processes serving the public port (node:cluster); above 1, a primary process
   * supervises them and serves the admin port. @default 1 (one process, no primary)
   */
  workers: number;
}

export function parseColocatedConfig(source: Env): Readonly<ColocatedConfig> {
  const own = parseEnv({ COLOCATED_WORKERS: env.positiveInt(1, 64) }, source);
  return Object.freeze({
    workers: own.COLOCATED_WORKERS,
    gateway: parseGatewayConfig(source),
    orders: parseOrdersConfig(source),
    catalog: parseCatalogConfig(source),
  });
}
