import { z } from 'zod';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../../platform/config/parseEnv';
import { parseTracingConfig, type TracingConfig } from '../../platform/tracing/tracingConfig';
import type { UpstreamOptions } from '../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../upstream/upstreamEnv';
import { parseLayersConfig, type RolloutConfig, type ShadowConfig } from './layersConfig';
import { parseMutationsConfig, type MutationsConfig } from './mutationsConfig';
import { ORDERS_BACKENDS, needsVendor, type OrdersBackendName } from './ordersBackendName';
import { parseVendorConfig, type VendorConfig } from './vendorConfig';

export { ORDERS_BACKENDS, type OrdersBackendName };

export interface OrdersConfig {
  port: number;
  backend: OrdersBackendName;
  jwt: JwtOptions;
  legacy: UpstreamOptions;
  receiptBaseUrl: string;
  /**
   * Required when any mode in use (ORDERS_BACKEND, the rollout's or the shadow's) reads the vendor;
   * optional otherwise, where it serves vendor order numbers.
   */
  vendor: Readonly<VendorConfig> | null;
  /** Order numbers the legacy system issued; any other number is routed to the vendor. */
  legacyNumberPattern: RegExp;
  /** Most order numbers resolved in one loader batch. */
  maxBatchSize: number;
  mutations: Readonly<MutationsConfig>;
  /** Null unless ORDERS_ROLLOUT_BACKEND is set: a sticky share of users served by another mode. */
  rollout: Readonly<RolloutConfig> | null;
  /** Null unless ORDERS_SHADOW_BACKEND is set: sampled history reads compared in the background. */
  shadow: Readonly<ShadowConfig> | null;
  logLevel: string;
  tracing: Readonly<TracingConfig>;
}

/** Parses the orders subgraph's environment once, at start-up; throws ConfigError naming each bad variable. */
export function parseOrdersConfig(source: Env): Readonly<OrdersConfig> {
  const parsed = parseEnv(
    {
      ORDERS_SUBGRAPH_PORT: env.port(4001),
      ORDERS_BACKEND: z
        .enum(ORDERS_BACKENDS, { error: `must be one of: ${ORDERS_BACKENDS.join(', ')}` })
        .default('legacy'),
      LEGACY_ECOMMERCE_URL: env.url(),
      RECEIPT_BASE_URL: env.url().optional(),
      // The shape legacy ecommerce numbers have always had (Commerce Coordinator's is_legacy_order).
      ORDERS_LEGACY_NUMBER_PATTERN: env.regex('^EDX-\\d{1,6}$'),
      ORDERS_MAX_BATCH_SIZE: env.positiveInt(50, 500),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  const legacyUrl = parsed.LEGACY_ECOMMERCE_URL.replace(/\/$/, '');
  const layers = parseLayersConfig(source, parsed.ORDERS_BACKEND);
  const vendorUsers: [string, OrdersBackendName | undefined][] = [
    ['ORDERS_BACKEND', parsed.ORDERS_BACKEND],
    ['ORDERS_ROLLOUT_BACKEND', layers.rollout?.backend],
    ['ORDERS_SHADOW_BACKEND', layers.shadow?.backend],
  ];
  const vendorUser = vendorUsers.find(([, mode]) => mode !== undefined && needsVendor(mode));
  return Object.freeze({
    port: parsed.ORDERS_SUBGRAPH_PORT,
    backend: parsed.ORDERS_BACKEND,
    jwt: parseJwtEnv(source),
    legacy: parseUpstreamEnv('LEGACY_ECOMMERCE', 'legacy-ecommerce', legacyUrl, source),
    // The MFE's own default (upstream-apis.md §2.1): the ecommerce receipt page.
    receiptBaseUrl: parsed.RECEIPT_BASE_URL ?? `${legacyUrl}/checkout/receipt/`,
    vendor: parseVendorConfig(source, vendorUser ? `when ${vendorUser[0]}=${vendorUser[1]}` : null),
    legacyNumberPattern: new RegExp(parsed.ORDERS_LEGACY_NUMBER_PATTERN),
    maxBatchSize: parsed.ORDERS_MAX_BATCH_SIZE,
    mutations: parseMutationsConfig(source),
    rollout: layers.rollout,
    shadow: layers.shadow,
    logLevel: parsed.LOG_LEVEL,
    tracing: parseTracingConfig(source, 'switchyard-orders'),
  });
}
