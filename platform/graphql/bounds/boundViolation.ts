import type { ArgumentBound, BoundViolation } from './ArgumentBound';

/**
 * The first way `value` breaks `bound`, or null. Values of the wrong type are not ours to judge
 * (GraphQL's own input coercion refuses them), so only what a bound measures is checked; a list's
 * length is checked before its items, so a huge list costs one comparison.
 */
export function boundViolation(
  field: string,
  argument: string,
  bound: ArgumentBound,
  value: unknown,
): BoundViolation | null {
  if (value === null || value === undefined) return null;
  const refuse = (limit: Record<string, number | string>, message: string): BoundViolation => ({
    field,
    argument,
    bound: limit,
    message: `${argument} ${message}`,
  });
  switch (bound.kind) {
    case 'string': {
      if (typeof value !== 'string') return null;
      if (value.length > bound.maxLength)
        return refuse({ maxLength: bound.maxLength }, `must be at most ${bound.maxLength} characters`);
      const min = bound.minLength ?? 0;
      if (value.length < min) return refuse({ minLength: min }, `must be at least ${min} characters`);
      if (bound.pattern && !bound.pattern.test(value))
        return refuse(
          { pattern: bound.patternName ?? bound.pattern.source },
          `must be ${bound.patternName ?? `of the form ${bound.pattern.source}`}`,
        );
      return null;
    }
    case 'int': {
      if (typeof value !== 'number') return null;
      if (value < bound.min || value > bound.max)
        return refuse({ min: bound.min, max: bound.max }, `must be between ${bound.min} and ${bound.max}`);
      return null;
    }
    case 'list': {
      // Input coercion makes a single value a list of one.
      const items = Array.isArray(value) ? value : [value];
      if (items.length > bound.maxItems)
        return refuse({ maxItems: bound.maxItems }, `must have at most ${bound.maxItems} items`);
      for (let i = 0; i < items.length; i++) {
        const found = boundViolation(field, `${argument}.${i}`, bound.items, items[i]);
        if (found) return found;
      }
      return null;
    }
    case 'input': {
      if (typeof value !== 'object' || Array.isArray(value)) return null;
      for (const [name, fieldBound] of Object.entries(bound.fields)) {
        const found = boundViolation(
          field,
          `${argument}.${name}`,
          fieldBound,
          (value as Record<string, unknown>)[name],
        );
        if (found) return found;
      }
      return null;
    }
    case 'enum':
    case 'boolean':
      return null;
  }
}
