import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import { maxAliasesRule } from './maxAliasesRule';
import { maxDepthRule } from './maxDepthRule';
import { maxDirectivesRule } from './maxDirectivesRule';
import { maxSpreadsRule } from './maxSpreadsRule';
import type { QueryLimits } from './QueryLimits';
import { sameNameFieldsGuard } from './sameNameFieldsGuard';

/**
 * Fields sharing one response name in one selection set. Not a variable: it exists only to keep
 * graphql-js's pairwise merge check small (sameNameFieldsGuard), and no client comes near it.
 */
export const MAX_SAME_NAME_FIELDS = 20;

/**
 * The Apollo Server options that enforce `limits`: the token cap while parsing, depth, aliases,
 * directives and fragment spreads at validation (one linear walk for all four: operationShape), and
 * the same-name-fields guard (whose plugin half, `limitsPlugin`, the server must also install). Either way the operation is refused (400) before it
 * executes, so it costs no subgraph or upstream call. The gateway and every subgraph spread this one
 * result into their server options.
 */
export function queryLimitOptions<TContext extends BaseContext>(
  limits: Readonly<QueryLimits>,
): {
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
  /** The same-name-fields guard's half that runs before validation: add it to the server's plugins. */
  limitsPlugin: ApolloServerPlugin<TContext>;
} {
  const guard = sameNameFieldsGuard<TContext>(MAX_SAME_NAME_FIELDS);
  return {
    limitsPlugin: guard.plugin,
    validationRules: [
      guard.rule,
      maxDepthRule(limits.maxDepth),
      maxAliasesRule(limits.maxAliases),
      maxDirectivesRule(limits.maxDirectives),
      maxSpreadsRule(limits.maxSpreads),
    ],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
