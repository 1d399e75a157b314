import { z } from 'zod';
import type { JwtOptions } from '../platform/auth/JwtOptions';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../platform/config/parseEnv';
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
}

export function parseGatewayConfig(source: Env): Readonly<GatewayConfig> {
  const parsed = parseEnv(
    {
      GATEWAY_PORT: env.port(4000),
      ORDERS_SUBGRAPH_URL: env.url().default('http://127.0.0.1:4001/graphql'),
      CATALOG_SUBGRAPH_URL: env.url().default('http://127.0.0.1:4002/graphql'),
      EXPLORER_ENABLED: env.boolean(true),
      GATEWAY_SUBGRAPH_CLIENT: z
        .enum(['kit', 'apollo-default'], { error: 'must be kit or apollo-default' })
        .default('kit'),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
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
  });
}
