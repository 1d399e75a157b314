import type { ValidationRule } from 'graphql';
import { shapeLimitRule } from './shapeLimitRule';

/**
 * Rejects an operation carrying more than `max` directives, counted as executed (a fragment's at
 * each spread of it, as graphql-armor's max-directives means to; docs/architecture.md says why the
 * count is ours): each is read, and `@skip`/`@include` evaluated, wherever its selection runs, and a
 * thousand of them on one field are tokens no client needs.
 */
export function maxDirectivesRule(max: number): ValidationRule {
  return shapeLimitRule(
    'directives',
    max,
    (actual) => `Query uses ${actual} directives; the limit is ${max}`,
  );
}
