import type { ValidationRule } from 'graphql';
import { shapeLimitRule } from './shapeLimitRule';

/**
 * Rejects an operation carrying more than `max` directives, counted as executed (what
 * graphql-armor's max-directives counts; docs/architecture.md says why the walk is ours): each one is read, and `@skip`/`@include` evaluated,
 * wherever its selection runs, and a thousand of them on one field are tokens no client needs.
 */
export function maxDirectivesRule(max: number): ValidationRule {
  return shapeLimitRule(
    'directives',
    max,
    (actual) => `Query uses ${actual} directives; the limit is ${max}`,
  );
}
