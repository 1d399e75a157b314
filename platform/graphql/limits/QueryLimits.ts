import { env } from '../../config/parseEnv';

/**
 * Per-operation limits, checked before anything executes. The gateway applies them to what clients
 * send (GATEWAY_MAX_*); each subgraph applies them again to what reaches it (SUBGRAPH_MAX_*), so a
 * caller that gets past the gateway — or around it — meets the same walls (defense in depth).
 */
export interface QueryLimits {
  /** Deepest field nesting, a root field being 1; introspection not counted. */
  maxDepth: number;
  /** Aliased fields per operation, counted as executed. */
  maxAliases: number;
  /** Lexical tokens per document: bounds parsing work before anything else runs. */
  maxTokens: number;
  /** Directives per operation, counted as executed. */
  maxDirectives: number;
  /** Fragment spreads per operation, counted as executed: bounds what a naive expansion would cost. */
  maxSpreads: number;
}

/**
 * The parsers for one component's limit variables, with the shared defaults (graphql-armor's, which
 * docs/reference/resilience.md T16 adopted). Each component writes its own variable names in its parseEnv shape, so
 * the names stay greppable (test/unit/deployManifests.test.ts reads them from the sources).
 */
export const queryLimitsEnv = {
  // The order-history page is 5 deep; 6 is graphql-armor's default and leaves one level of room.
  maxDepth: () => env.positiveInt(6, 100),
  maxAliases: () => env.nonNegativeInt(15, 1000),
  // The explorer's introspection query is about 200 tokens, the order-history page about 60.
  maxTokens: () => env.positiveInt(1000, 100_000),
  // graphql-armor's default; no document we ship carries a directive.
  maxDirectives: () => env.nonNegativeInt(50, 1000),
  // No document we ship spreads a fragment; the explorer's introspection query spreads 10 times.
  maxSpreads: () => env.nonNegativeInt(100, 10_000),
};
