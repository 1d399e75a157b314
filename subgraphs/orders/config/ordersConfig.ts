import { DEFAULT_ADMIN_PORTS, parseAdminEnv, type AdminOptions } from '../../../platform/config/adminEnv';
import { z } from 'zod';
import type { JwtOptions } from '../../../platform/auth/JwtOptions';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../../../platform/config/parseEnv';
import { parseTracingConfig, type TracingConfig } from '../../../platform/tracing/tracingConfig';
import type { UpstreamOptions } from '../../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import {
  parseLmsApiConfig,
  parseServiceIdentityConfig,
  type ServiceIdentityConfig,
} from '../../serviceIdentity/serviceIdentityConfig';
import { parseSubgraphSecurityConfig, type SubgraphSecurityConfig } from '../../subgraphSecurityConfig';
import { parseGuardrailsConfig, type GuardrailsConfig } from './guardrailsConfig';
import type { FlagsSource } from './flagsSource';
import { parseLayersConfig, type LayersConfig, type RolloutConfig, type ShadowConfig } from './layersConfig';
import { parseMutationsConfig, type MutationsConfig } from './mutationsConfig';
import { parseRefundsConfig, type RefundsConfig } from './refundsConfig';
import { ORDERS_MODES, needsVendor, type OrdersMode } from './ordersMode';
import { parseVendorConfig, type VendorConfig } from './vendorConfig';

export interface OrdersConfig {
  port: number;
  /** `/metrics` and `/status`, off the public port. */
  admin: AdminOptions;
  /** ORDERS_BACKEND: the mode whose history everyone is served, outside a rollout. */
  mode: OrdersMode;
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
  /**
   * Upstream calls the reads of one request may make (RequestBudget); past it a field fails with
   * REQUEST_BUDGET_EXCEEDED and no further call is made. @default 50: the deepest merged page (100 × 100)
   * takes 46 (vendor streams are read 500 at a time), an ordinary page 4.
   */
  maxUpstreamCallsPerRequest: number;
  mutations: Readonly<MutationsConfig>;
  /** Null unless ORDERS_ROLLOUT_BACKEND is set: a sticky share of users served by another mode. */
  rollout: Readonly<RolloutConfig> | null;
  /** Null unless ORDERS_SHADOW_BACKEND is set: sampled history reads compared in the background. */
  shadow: Readonly<ShadowConfig> | null;
  /** What halts a rollout by itself, and where the halt is shared (ORDERS_GUARD_*). */
  guardrails: Readonly<GuardrailsConfig>;
  /** Where the rollout flags come from (ORDERS_FLAGS_PROVIDER / ORDERS_FLAGS_FILE); `env` = the two above. */
  flags: FlagsSource;
  /** ORDERS_FLAGS_TIMEOUT_MS: the most one history read waits for its flags, then last good values. */
  flagsTimeoutMs: number;
  /** The shadow read's deadline and concurrency cap (ORDERS_SHADOW_TIMEOUT_MS / _MAX_CONCURRENT). */
  shadowLimits: LayersConfig['shadowLimits'];
  logLevel: string;
  tracing: Readonly<TracingConfig>;
  /**
   * Gateway-only access, query limits, introspection (SUBGRAPH_*). The refund worker parses this
   * configuration too, so it needs SUBGRAPH_SHARED_SECRET in production although it serves no GraphQL.
   */
  security: Readonly<SubgraphSecurityConfig>;
  /**
   * Switchyard's service user (LMS OAuth2 client credentials): fulfilment, which needs a model
   * permission no staff token has, and the refund worker's deliveries (docs/reference/legacy-ecommerce.md).
   */
  serviceIdentity: Readonly<ServiceIdentityConfig>;
  /**
   * The LMS's REST API (`LMS_API_URL`), as the service user: the learner's LMS user id when staff read
   * someone else's vendor history (docs/reference/vendor-commercetools.md "Customers").
   */
  lmsApi: UpstreamOptions;
  /** The refund rule's window and inputs (discovery, the LMS), and automatic approval. */
  refunds: Readonly<RefundsConfig>;
}

/** Parses the orders subgraph's environment once, at start-up; throws ConfigError naming each bad variable. */
export function parseOrdersConfig(source: Env): Readonly<OrdersConfig> {
  const parsed = parseEnv(
    {
      ORDERS_SUBGRAPH_PORT: env.port(4001),
      ORDERS_BACKEND: z
        .enum(ORDERS_MODES, { error: `must be one of: ${ORDERS_MODES.join(', ')}` })
        .default('legacy'),
      LEGACY_ECOMMERCE_URL: env.url(),
      RECEIPT_BASE_URL: env.url().optional(),
      // `{PARTNER}-{basket id + 100000}`, no digit limit (OrderNumberGenerator; legacy-ecommerce.md).
      ORDERS_LEGACY_NUMBER_PATTERN: env.regex('^EDX-\\d+$'),
      ORDERS_MAX_BATCH_SIZE: env.positiveInt(50, 500),
      ORDERS_MAX_UPSTREAM_CALLS_PER_REQUEST: env.positiveInt(50, 10_000),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  const legacyUrl = parsed.LEGACY_ECOMMERCE_URL.replace(/\/$/, '');
  const layers = parseLayersConfig(source, parsed.ORDERS_BACKEND);
  const vendorUsers: [string, OrdersMode | undefined][] = [
    ['ORDERS_BACKEND', parsed.ORDERS_BACKEND],
    ['ORDERS_ROLLOUT_BACKEND', layers.rollout?.mode],
    ['ORDERS_SHADOW_BACKEND', layers.shadow?.mode],
  ];
  const vendorUser = vendorUsers.find(([, mode]) => mode !== undefined && needsVendor(mode));
  // JWT settings before the service identity's: a production start missing both names JWT_SECRET,
  // as start-up errors have always listed them (every component needs it; only some the LMS).
  const jwt = parseJwtEnv(source);
  const serviceIdentity = parseServiceIdentityConfig(source);
  const lmsApi = parseLmsApiConfig(source, serviceIdentity);
  return Object.freeze({
    port: parsed.ORDERS_SUBGRAPH_PORT,
    admin: parseAdminEnv(source, DEFAULT_ADMIN_PORTS.orders),
    mode: parsed.ORDERS_BACKEND,
    jwt,
    legacy: parseUpstreamEnv('LEGACY_ECOMMERCE', 'legacy-ecommerce', legacyUrl, source),
    // The MFE's own default (docs/reference/upstream-apis.md §2.1): the ecommerce receipt page.
    receiptBaseUrl: parsed.RECEIPT_BASE_URL ?? `${legacyUrl}/checkout/receipt/`,
    vendor: parseVendorConfig(source, vendorUser ? `when ${vendorUser[0]}=${vendorUser[1]}` : null),
    legacyNumberPattern: new RegExp(parsed.ORDERS_LEGACY_NUMBER_PATTERN),
    maxBatchSize: parsed.ORDERS_MAX_BATCH_SIZE,
    maxUpstreamCallsPerRequest: parsed.ORDERS_MAX_UPSTREAM_CALLS_PER_REQUEST,
    mutations: parseMutationsConfig(source),
    rollout: layers.rollout,
    shadow: layers.shadow,
    guardrails: parseGuardrailsConfig(source),
    flags: layers.flags,
    flagsTimeoutMs: layers.flagsTimeoutMs,
    shadowLimits: layers.shadowLimits,
    logLevel: parsed.LOG_LEVEL,
    tracing: parseTracingConfig(source, 'switchyard-orders'),
    security: parseSubgraphSecurityConfig(source),
    serviceIdentity,
    lmsApi,
    refunds: parseRefundsConfig(source, lmsApi),
  });
}
