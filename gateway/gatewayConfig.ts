import { z } from 'zod';
import type { JwtOptions } from '../platform/auth/JwtOptions';
import { ConfigError } from '../platform/config/ConfigError';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../platform/config/parseEnv';
import { parseTracingConfig, type TracingConfig } from '../platform/tracing/tracingConfig';
import type { UpstreamOptions } from '../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../upstream/upstreamEnv';

export interface GatewayConfig {
  port: number;
  jwt: JwtOptions;
  /** One upstream per subgraph, keyed by the subgraph name in the supergraph. */
  subgraphs: Readonly<Record<'orders' | 'catalog', UpstreamOptions>>;
  explorerEnabled: boolean;
  /**
   * `kit`: subgraph calls through upstream/ (deadlines, pools, coded errors). `apollo-default`:
   * @apollo/gateway's own RemoteGraphQLDataSource, kept only as the benchmark's baseline.
   */
  subgraphClient: 'kit' | 'apollo-default';
  logLevel: string;
  /** Checked before any planning or subgraph call (resilience.md T16, graphql-armor's defaults). */
  limits: Readonly<QueryLimits>;
  /** Schema introspection (and field suggestions in errors); off by default in production. */
  introspection: boolean;
  tracing: Readonly<TracingConfig>;
}

export interface QueryLimits {
  /** Deepest field nesting, a root field being 1; introspection not counted. */
  maxDepth: number;
  /** Aliased fields per operation, counted as executed. */
  maxAliases: number;
  /** Lexical tokens per document: bounds parsing work before anything else runs. */
  maxTokens: number;
}

export function parseGatewayConfig(source: Env): Readonly<GatewayConfig> {
  // OWASP: no introspection or explorer in production unless asked for; on everywhere else.
  const production = source.NODE_ENV === 'production';
  const parsed = parseEnv(
    {
      GATEWAY_PORT: env.port(4000),
      ORDERS_SUBGRAPH_URL: env.url().default('http://127.0.0.1:4001/graphql'),
      CATALOG_SUBGRAPH_URL: env.url().default('http://127.0.0.1:4002/graphql'),
      EXPLORER_ENABLED: env.boolean(!production),
      GATEWAY_INTROSPECTION: env.boolean(!production),
      // The order-history page is 5 deep; 6 is graphql-armor's default and leaves one level of room.
      GATEWAY_MAX_DEPTH: env.positiveInt(6, 100),
      GATEWAY_MAX_ALIASES: env.nonNegativeInt(15, 1000),
      // The explorer's introspection query is about 200 tokens, the order-history page about 60.
      GATEWAY_MAX_TOKENS: env.positiveInt(1000, 100_000),
      GATEWAY_SUBGRAPH_CLIENT: z
        .enum(['kit', 'apollo-default'], { error: 'must be kit or apollo-default' })
        .default('kit'),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  if (parsed.EXPLORER_ENABLED && !parsed.GATEWAY_INTROSPECTION) {
    throw new ConfigError(
      'EXPLORER_ENABLED=true needs GATEWAY_INTROSPECTION=true: the explorer loads the schema by introspection',
    );
  }
  return Object.freeze({
    port: parsed.GATEWAY_PORT,
    jwt: parseJwtEnv(source),
    subgraphs: Object.freeze({
      // A subgraph call wraps its own upstream calls, so its deadline sits above theirs (2 s + margin).
      orders: parseUpstreamEnv('ORDERS_SUBGRAPH', 'orders', parsed.ORDERS_SUBGRAPH_URL, {
        ORDERS_SUBGRAPH_TIMEOUT_MS: '5000',
        ...source,
      }),
      catalog: parseUpstreamEnv('CATALOG_SUBGRAPH', 'catalog', parsed.CATALOG_SUBGRAPH_URL, {
        CATALOG_SUBGRAPH_TIMEOUT_MS: '5000',
        ...source,
      }),
    }),
    explorerEnabled: parsed.EXPLORER_ENABLED,
    subgraphClient: parsed.GATEWAY_SUBGRAPH_CLIENT,
    logLevel: parsed.LOG_LEVEL,
    limits: Object.freeze({
      maxDepth: parsed.GATEWAY_MAX_DEPTH,
      maxAliases: parsed.GATEWAY_MAX_ALIASES,
      maxTokens: parsed.GATEWAY_MAX_TOKENS,
    }),
    introspection: parsed.GATEWAY_INTROSPECTION,
    tracing: parseTracingConfig(source, 'switchyard-gateway'),
  });
}
