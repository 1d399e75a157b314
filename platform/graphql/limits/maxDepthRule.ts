import type { ValidationRule } from 'graphql';
import { shapeLimitRule } from './shapeLimitRule';

/**
 * Rejects an operation whose fields nest deeper than `max` (a root field is depth 1) at validation,
 * before anything executes: at the gateway before planning or any subgraph call, at a subgraph before
 * any upstream call. The order-history page the MFE renders is 5 deep
 * (orderHistory → orders → lines → courseRun → title). Introspection is not counted.
 */
export function maxDepthRule(max: number): ValidationRule {
  return shapeLimitRule('depth', max, (actual) => `Query is ${actual} levels deep; the limit is ${max}`);
}
