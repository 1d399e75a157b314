import { ConfigError } from '../platform/config/ConfigError';
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
   * supervises them and serves the admin port. @default 1 (one process, no primary). Above 1 it needs
   * REDIS_URL: see parseColocatedConfig.
   */
  workers: number;
}

export function parseColocatedConfig(source: Env): Readonly<ColocatedConfig> {
  const own = parseEnv({ COLOCATED_WORKERS: env.positiveInt(1, 64) }, source);
  const gateway = parseGatewayConfig(source);
  // Without a shared Redis every worker keeps its own idempotency records and rate-limit windows: a
  // retry landing on another worker executes a refund again, and each worker admits a full limit.
  if (own.COLOCATED_WORKERS > 1 && gateway.redisUrl === null) {
    throw new ConfigError(
      `COLOCATED_WORKERS=${own.COLOCATED_WORKERS} needs REDIS_URL: the workers must share idempotency records, ` +
        'rate-limit windows and APQ registrations (or set COLOCATED_WORKERS=1)',
    );
  }
  return Object.freeze({
    workers: own.COLOCATED_WORKERS,
    gateway,
    orders: parseOrdersConfig(source),
    catalog: parseCatalogConfig(source),
  });
}
