import { env, parseEnv, type Env } from '../platform/config/parseEnv';
import { isProduction, secretEnv } from '../platform/config/secretEnv';
import { queryLimitsEnv, type QueryLimits } from '../platform/graphql/limits/QueryLimits';
import { DEV_SUBGRAPH_SHARED_SECRET } from '../platform/http/subgraphSecret';

/** What keeps a subgraph from being a side door around the gateway (docs/security.md "Subgraphs"). */
export interface SubgraphSecurityConfig {
  /** SUBGRAPH_SHARED_SECRET: a request without it (SUBGRAPH_SECRET_HEADER) gets 401, nothing else. */
  sharedSecret: string;
  /**
   * The gateway's limits again, on the documents that reach the subgraph: the query planner's (an
   * `_entities` fetch is 2 deep plus the fields asked of the entity) or an intruder's.
   */
  limits: Readonly<QueryLimits>;
  /** Introspection, `_service { sdl }` and field suggestions in errors; off by default in production. */
  introspection: boolean;
}

/** The variables every subgraph reads alike; throws ConfigError naming each bad one. */
export function parseSubgraphSecurityConfig(source: Env): Readonly<SubgraphSecurityConfig> {
  const parsed = parseEnv(
    {
      // The gateway's value; required (32 bytes or more) in production.
      SUBGRAPH_SHARED_SECRET: secretEnv(source, DEV_SUBGRAPH_SHARED_SECRET),
      // The gateway's defaults: what passes there passes here (test/integration/subgraphSideDoor.test.ts).
      SUBGRAPH_MAX_DEPTH: queryLimitsEnv.maxDepth(),
      SUBGRAPH_MAX_ALIASES: queryLimitsEnv.maxAliases(),
      SUBGRAPH_MAX_TOKENS: queryLimitsEnv.maxTokens(),
      SUBGRAPH_MAX_DIRECTIVES: queryLimitsEnv.maxDirectives(),
      SUBGRAPH_MAX_SPREADS: queryLimitsEnv.maxSpreads(),
      // The gateway reads the committed supergraph, never a subgraph's schema: nothing needs this on.
      SUBGRAPH_INTROSPECTION: env.boolean(!isProduction(source)),
    },
    source,
  );
  return Object.freeze({
    sharedSecret: parsed.SUBGRAPH_SHARED_SECRET,
    limits: Object.freeze({
      maxDepth: parsed.SUBGRAPH_MAX_DEPTH,
      maxAliases: parsed.SUBGRAPH_MAX_ALIASES,
      maxTokens: parsed.SUBGRAPH_MAX_TOKENS,
      maxDirectives: parsed.SUBGRAPH_MAX_DIRECTIVES,
      maxSpreads: parsed.SUBGRAPH_MAX_SPREADS,
    }),
    introspection: parsed.SUBGRAPH_INTROSPECTION,
  });
}
