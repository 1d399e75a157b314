import { z } from 'zod';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../../platform/config/parseEnv';
import type { UpstreamOptions } from '../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../upstream/upstreamEnv';

export const ORDERS_BACKENDS = ['legacy'] as const;
export type OrdersBackendName = (typeof ORDERS_BACKENDS)[number];

export interface OrdersConfig {
  port: number;
  backend: OrdersBackendName;
  jwt: JwtOptions;
  legacy: UpstreamOptions;
  receiptBaseUrl: string;
  /** Most order numbers resolved in one loader batch. */
  maxBatchSize: number;
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
    maxBatchSize: parsed.ORDERS_MAX_BATCH_SIZE,
    logLevel: parsed.LOG_LEVEL,
  });
}
