import type { JwtOptions } from '../platform/auth/JwtOptions';
import { ConfigError } from '../platform/config/ConfigError';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { parseBrowserEnv, type BrowserOptions } from '../platform/config/browserEnv';
import { env, parseEnv, type Env } from '../platform/config/parseEnv';
import { secretEnv } from '../platform/config/secretEnv';
import { queryLimitsEnv, type QueryLimits } from '../platform/graphql/limits/QueryLimits';
import { DEV_SUBGRAPH_SHARED_SECRET } from '../platform/http/subgraphSecret';
import { parseTracingConfig, type TracingConfig } from '../platform/tracing/tracingConfig';
import { parseUpstreamEnv } from '../upstream/upstreamEnv';
import type { UpstreamOptions } from '../upstream/UpstreamOptions';
import { subgraphUrls } from './subgraphUrls';
import { parseRateLimitConfig, type RateLimitConfig } from './rateLimitConfig';
import { DEFAULT_ADMIN_PORTS, parseAdminEnv, type AdminOptions } from '../platform/config/adminEnv';
import { join } from 'node:path';
import { z } from 'zod';
import { schemaDirectory } from '../schema/schemaDirectory';
import { CLIENT_NAME, OTHER_CLIENT } from '../schema/checks/clientName';
import { readPersistedQueryManifest, type PersistedQueryManifest } from './safelist/PersistedQueryManifest';
import { parseApqConfig, type ApqConfig } from './safelist/apqConfig';

export interface GatewayConfig {
  port: number;
  jwt: JwtOptions;
  /** The MFE origins allowed to call with credentials, and the LMS's JWT cookie names. */
  browser: BrowserOptions;
  /** One upstream per subgraph, keyed by the subgraph name in the supergraph. */
  subgraphs: Readonly<Record<'orders' | 'catalog', UpstreamOptions>>;
  explorerEnabled: boolean;
  logLevel: string;
  /** Checked before any planning or subgraph call (docs/reference/resilience.md T16, graphql-armor's defaults). */
  limits: Readonly<QueryLimits>;
  /** Highest estimated operation cost admitted (@cost/@listSize, docs/reference/demand-control.md). */
  maxCost: number;
  /** Schema introspection (and field suggestions in errors); off by default in production. */
  introspection: boolean;
  tracing: Readonly<TracingConfig>;
  /** Sent on every subgraph call (SUBGRAPH_SECRET_HEADER): subgraphs serve nobody else. */
  subgraphSecret: string;
  /** Per-user and per-address limits, checked before any subgraph call. */
  rateLimit: RateLimitConfig;
  /** `/metrics` and `/status`, off the public port. */
  admin: AdminOptions;
  /** Shared state across gateway instances (rate-limit counts, APQ registrations); null: each keeps its own in memory. */
  redisUrl: string | null;
  /** The supergraph file, reloaded when it changes or on SIGHUP (docs/operations.md). */
  supergraph: Readonly<{ path: string; watchIntervalMs: number }>;
  /** The safelist (docs/api.md, persisted queries): `off` ignores any manifest. */
  persistedQueries: Readonly<PersistedQueriesConfig>;
  /** APQ registrations: TTL, size cap, per-user count (anonymous callers never register). */
  apq: ApqConfig;
  /** Field usage per client for schema checks (gateway/plugins/countFieldUsage.ts, docs/schema-changes.md). */
  fieldUsage: Readonly<{ enabled: boolean; clients: readonly string[] }>;
}

export interface PersistedQueriesConfig {
  /** `allow`: manifest ids resolve, anything runs; `require`: only manifest operations run. */
  mode: 'off' | 'allow' | 'require';
  /** Read and checked at start-up; null when mode is `off`. */
  manifest: PersistedQueryManifest | null;
}

export function parseGatewayConfig(source: Env): Readonly<GatewayConfig> {
  // OWASP: no introspection or explorer in production unless asked for; on everywhere else.
  const production = source.NODE_ENV === 'production';
  const parsed = parseEnv(
    {
      GATEWAY_PORT: env.port(4000),
      ORDERS_SUBGRAPH_URL: env.url().default('http://127.0.0.1:4001/graphql'),
      CATALOG_SUBGRAPH_URL: env.url().default('http://127.0.0.1:4002/graphql'),
      // Several instances of one subgraph, comma-separated; instead of the single URL above.
      ORDERS_SUBGRAPH_URLS: z.string().optional(),
      CATALOG_SUBGRAPH_URLS: z.string().optional(),
      EXPLORER_ENABLED: env.boolean(!production),
      GATEWAY_INTROSPECTION: env.boolean(!production),
      GATEWAY_MAX_DEPTH: queryLimitsEnv.maxDepth(),
      GATEWAY_MAX_ALIASES: queryLimitsEnv.maxAliases(),
      GATEWAY_MAX_TOKENS: queryLimitsEnv.maxTokens(),
      GATEWAY_MAX_DIRECTIVES: queryLimitsEnv.maxDirectives(),
      GATEWAY_MAX_SPREADS: queryLimitsEnv.maxSpreads(),
      // The order-history page the MFE asks for is estimated at 350; 5000 is graphql-armor's maxCost.
      GATEWAY_MAX_COST: env.positiveInt(5000, 10_000_000),
      // The same value every subgraph is given; required (32 bytes or more) in production.
      SUBGRAPH_SHARED_SECRET: secretEnv(source, DEV_SUBGRAPH_SHARED_SECRET),
      LOG_LEVEL: env.logLevel(),
      REDIS_URL: env.redisUrl().optional(),
      SUPERGRAPH_PATH: z.string().min(1).default(join(schemaDirectory(), 'supergraph.graphql')),
      SUPERGRAPH_WATCH_INTERVAL_MS: env.nonNegativeInt(1000, 3_600_000),
      PERSISTED_QUERIES: z
        .enum(['off', 'allow', 'require'], { error: 'must be off, allow or require' })
        .default('off'),
      PERSISTED_QUERIES_MANIFEST: z.string().min(1).optional(),
      FIELD_USAGE_METRICS: env.boolean(true),
      // The clients (apollographql-client-name) counted by name; any other is counted as `other`.
      FIELD_USAGE_CLIENTS: z
        .string()
        .optional()
        .transform((v) =>
          (v ?? '')
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean),
        )
        .refine((names) => names.every((n) => CLIENT_NAME.test(n) && n !== OTHER_CLIENT), {
          message: `must be client names separated by commas (letters, digits, . _ -, up to 64; not "${OTHER_CLIENT}")`,
        }),
    },
    source,
  );
  if (parsed.PERSISTED_QUERIES !== 'off' && !parsed.PERSISTED_QUERIES_MANIFEST) {
    throw new ConfigError(
      `PERSISTED_QUERIES=${parsed.PERSISTED_QUERIES} needs PERSISTED_QUERIES_MANIFEST: the path of the persisted-query manifest`,
    );
  }
  if (parsed.EXPLORER_ENABLED && !parsed.GATEWAY_INTROSPECTION) {
    throw new ConfigError(
      'EXPLORER_ENABLED=true needs GATEWAY_INTROSPECTION=true: the explorer loads the schema by introspection',
    );
  }
  const orders = subgraphInstances('ORDERS_SUBGRAPH', parsed.ORDERS_SUBGRAPH_URL, source);
  const catalog = subgraphInstances('CATALOG_SUBGRAPH', parsed.CATALOG_SUBGRAPH_URL, source);
  return Object.freeze({
    port: parsed.GATEWAY_PORT,
    jwt: parseJwtEnv(source),
    browser: parseBrowserEnv(source),
    subgraphs: Object.freeze({
      // A subgraph call wraps its own upstream calls, so its deadline sits above theirs (2 s + margin).
      orders: Object.freeze({
        ...parseUpstreamEnv('ORDERS_SUBGRAPH', 'orders', orders.baseUrl, {
          ORDERS_SUBGRAPH_TIMEOUT_MS: '5000',
          ...source,
        }),
        replicaOrigins: orders.replicaOrigins,
      }),
      catalog: Object.freeze({
        ...parseUpstreamEnv('CATALOG_SUBGRAPH', 'catalog', catalog.baseUrl, {
          CATALOG_SUBGRAPH_TIMEOUT_MS: '5000',
          ...source,
        }),
        replicaOrigins: catalog.replicaOrigins,
      }),
    }),
    explorerEnabled: parsed.EXPLORER_ENABLED,
    logLevel: parsed.LOG_LEVEL,
    limits: Object.freeze({
      maxDepth: parsed.GATEWAY_MAX_DEPTH,
      maxAliases: parsed.GATEWAY_MAX_ALIASES,
      maxTokens: parsed.GATEWAY_MAX_TOKENS,
      maxDirectives: parsed.GATEWAY_MAX_DIRECTIVES,
      maxSpreads: parsed.GATEWAY_MAX_SPREADS,
    }),
    maxCost: parsed.GATEWAY_MAX_COST,
    introspection: parsed.GATEWAY_INTROSPECTION,
    tracing: parseTracingConfig(source, 'switchyard-gateway'),
    subgraphSecret: parsed.SUBGRAPH_SHARED_SECRET,
    rateLimit: parseRateLimitConfig(source),
    admin: parseAdminEnv(source, DEFAULT_ADMIN_PORTS.gateway),
    redisUrl: parsed.REDIS_URL ?? null,
    supergraph: Object.freeze({
      path: parsed.SUPERGRAPH_PATH,
      watchIntervalMs: parsed.SUPERGRAPH_WATCH_INTERVAL_MS,
    }),
    apq: parseApqConfig(source),
    persistedQueries: Object.freeze({
      mode: parsed.PERSISTED_QUERIES,
      manifest:
        parsed.PERSISTED_QUERIES === 'off' || !parsed.PERSISTED_QUERIES_MANIFEST
          ? null
          : readPersistedQueryManifest(parsed.PERSISTED_QUERIES_MANIFEST),
    }),
    fieldUsage: Object.freeze({
      enabled: parsed.FIELD_USAGE_METRICS,
      clients: Object.freeze(parsed.FIELD_USAGE_CLIENTS),
    }),
  });
}

/** `<PREFIX>_URLS` (several instances) or the single `<PREFIX>_URL`, never both. */
function subgraphInstances(prefix: string, url: string, source: Env): ReturnType<typeof subgraphUrls> {
  const list = source[`${prefix}_URLS`]?.trim();
  if (!list) return { baseUrl: url, replicaOrigins: [] };
  if (source[`${prefix}_URL`]?.trim())
    throw new ConfigError(`${prefix}_URL and ${prefix}_URLS are both set: use one`);
  return subgraphUrls(`${prefix}_URLS`, list);
}
