import type { ValidationRule } from 'graphql';
import { shapeLimitRule } from './shapeLimitRule';

/**
 * Rejects an operation with more than `max` aliased fields: aliases are how one request asks for the
 * same expensive field many times over (OWASP's batching attack), and each would be its own upstream
 * call. Counted as executed, so a fragment with aliases spread twice counts twice.
 */
export function maxAliasesRule(max: number): ValidationRule {
  return shapeLimitRule('aliases', max, (actual) => `Query uses ${actual} aliases; the limit is ${max}`);
}
