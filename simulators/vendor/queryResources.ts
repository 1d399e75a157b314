import type { SimResponse } from '../kit/createSimulator';
import { parsePredicate, PredicateError, type Predicate } from './parsePredicate';
import { vendorError } from './vendorError';

// commercetools query limits (docs/reference/vendor-commercetools.md): a caller past them gets 400, never
// a silent cap.
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 500;
const MAX_OFFSET = 10_000;

interface SortKey {
  path: string[];
  descending: boolean;
}

/**
 * A commercetools paged query over in-memory resources: every `where` is AND-ed, `var.<name>` binds
 * input variables, `sort` is repeatable (later keys break ties), then `offset`/`limit`, and the
 * envelope `{limit, offset, count, total, results}` where `count` is the page length.
 */
export function queryResources(items: readonly object[], params: URLSearchParams): SimResponse {
  const vars = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key.startsWith('var.')) vars.set(key.slice(4), [...(vars.get(key.slice(4)) ?? []), value]);
  }
  const limit = integerParam(params, 'limit', DEFAULT_LIMIT, MAX_LIMIT);
  const offset = integerParam(params, 'offset', 0, MAX_OFFSET);
  if (typeof limit === 'string') return invalid(limit);
  if (typeof offset === 'string') return invalid(offset);
  let predicates: Predicate[];
  let sortKeys: SortKey[];
  try {
    predicates = params.getAll('where').map((where) => parsePredicate(where));
    sortKeys = params.getAll('sort').map(parseSort);
  } catch (error) {
    return invalid(`${(error as Error).message}`);
  }
  let matched: object[];
  try {
    matched = items.filter((item) => predicates.every((p) => p(item, vars)));
  } catch (error) {
    if (error instanceof PredicateError) return invalid(error.message);
    throw error;
  }
  const sorted = [...matched].sort((a, b) => {
    for (const key of sortKeys) {
      const order = compareValues(valueAt(a, key.path), valueAt(b, key.path));
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
  const results = sorted.slice(offset, offset + limit);
  const withTotal = params.get('withTotal') !== 'false';
  return {
    status: 200,
    body: { limit, offset, count: results.length, ...(withTotal ? { total: sorted.length } : {}), results },
  };
}

function integerParam(params: URLSearchParams, name: string, fallback: number, max: number): number | string {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    return `Malformed parameter: ${name}: Must be a number between 0 and ${max}.`;
  }
  return value;
}

function parseSort(text: string): SortKey {
  const match = /^\s*([A-Za-z_][\w.-]*)\s+(asc|desc)\s*$/.exec(text);
  if (!match) throw new PredicateError(`Malformed parameter: sort: "${text}" is not "<field> asc|desc".`);
  return { path: (match[1] as string).split('.'), descending: match[2] === 'desc' };
}

function valueAt(item: object, path: readonly string[]): unknown {
  let current: unknown = item;
  for (const part of path) {
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[part]
        : undefined;
  }
  return current;
}

/** Missing values sort first ascending (last descending); timestamps share one format, so text order works. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function invalid(message: string): SimResponse {
  const text = message.startsWith('Malformed') ? message : `Malformed parameter: where: ${message}`;
  return vendorError(400, 'InvalidInput', text);
}
