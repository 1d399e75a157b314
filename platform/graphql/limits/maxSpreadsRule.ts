import type { ValidationRule } from 'graphql';
import { shapeLimitRule } from './shapeLimitRule';

/**
 * Rejects an operation that spreads fragments more than `max` times, counted as executed: fragments
 * that each spread the next one twice make a kilobyte stand for 2^n selections. Our own walks are
 * linear whatever the nesting (operationShape, the cost walk), but any tool that expands fragments
 * naively — a plugin, a log, a future rule — would not be; no client document comes near the limit.
 */
export function maxSpreadsRule(max: number): ValidationRule {
  return shapeLimitRule(
    'spreads',
    max,
    (actual) => `Query spreads fragments ${actual} times; the limit is ${max}`,
  );
}
