import { z } from 'zod';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../../platform/config/parseEnv';
import type { UpstreamOptions } from '../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../upstream/upstreamEnv';
import { parseMutationsConfig, type MutationsConfig } from './mutationsConfig';
import { parseVendorConfig, type VendorConfig } from './vendorConfig';

export const ORDERS_BACKENDS = ['legacy', 'vendor', 'merged'] as const;
export type OrdersBackendName = (typeof ORDERS_BACKENDS)[number];

export interface OrdersConfig {
  port: number;
  backend: OrdersBackendName;
  jwt: JwtOptions;
  legacy: UpstreamOptions;
  receiptBaseUrl: string;
  /** Required in vendor and merged modes; optional in legacy mode, where it serves vendor order numbers. */
  vendor: Readonly<VendorConfig> | null;
  /** Order numbers the legacy system issued; any other number is routed to the vendor. */
  legacyNumberPattern: RegExp;
  /** Most order numbers resolved in one loader batch. */
  maxBatchSize: number;
  mutations: Readonly<MutationsConfig>;
  logLevel: string;
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
  return Object.freeze({
    port: parsed.ORDERS_SUBGRAPH_PORT,
    backend: parsed.ORDERS_BACKEND,
    jwt: parseJwtEnv(source),
    legacy: parseUpstreamEnv('LEGACY_ECOMMERCE', 'legacy-ecommerce', legacyUrl, source),
    // The MFE's own default (upstream-apis.md §2.1): the ecommerce receipt page.
    receiptBaseUrl: parsed.RECEIPT_BASE_URL ?? `${legacyUrl}/checkout/receipt/`,
    vendor: parseVendorConfig(
      source,
      parsed.ORDERS_BACKEND === 'legacy' ? null : `when ORDERS_BACKEND=${parsed.ORDERS_BACKEND}`,
    ),
    legacyNumberPattern: new RegExp(parsed.ORDERS_LEGACY_NUMBER_PATTERN),
    maxBatchSize: parsed.ORDERS_MAX_BATCH_SIZE,
    mutations: parseMutationsConfig(source),
    logLevel: parsed.LOG_LEVEL,
  });
}
