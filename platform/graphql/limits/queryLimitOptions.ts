import type { ValidationRule } from 'graphql';
import { maxAliasesRule } from './maxAliasesRule';
import { maxDepthRule } from './maxDepthRule';
import { maxDirectivesRule } from './maxDirectivesRule';
import { maxSpreadsRule } from './maxSpreadsRule';
import type { QueryLimits } from './QueryLimits';

/**
 * The Apollo Server options that enforce `limits`: the token cap while parsing, depth, aliases,
 * directives and fragment spreads at validation (one linear walk for all four: operationShape). Either way
 * the operation is refused (400) before it executes, so it costs no subgraph or upstream call. The gateway and every subgraph spread this one result into their server options.
 */
export function queryLimitOptions(limits: Readonly<QueryLimits>): {
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
} {
  return {
    validationRules: [
      maxDepthRule(limits.maxDepth),
      maxAliasesRule(limits.maxAliases),
      maxDirectivesRule(limits.maxDirectives),
      maxSpreadsRule(limits.maxSpreads),
    ],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
