import { buildSchema, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { ArgumentBounds } from '../../../../platform/graphql/bounds/ArgumentBound';
import { findBoundViolation } from '../../../../platform/graphql/bounds/findBoundViolation';

// findBoundViolation walks each operation once (per bounds, schema and document) and keeps its
// bounded fields; these check that the kept walk answers exactly as a fresh one, whatever the
// variables, and that a new schema (a reloaded supergraph) is walked again rather than read from
// the old one's entry (issue 25).

const SDL = `
  type Query { page(size: Int, keys: [String!]): Page, other(size: Int): Int }
  type Page { items(first: Int): [Int], next: Page }
`;
const BOUNDS: ArgumentBounds = {
  'Query.page': {
    size: { kind: 'int', min: 1, max: 100, source: 'test' },
    keys: {
      kind: 'list',
      maxItems: 2,
      items: { kind: 'string', maxLength: 3, source: 'test' },
      source: 'test',
    },
  },
  'Page.items': { first: { kind: 'int', min: 0, max: 10, source: 'test' } },
};
const schema = buildSchema(SDL);

const DOCUMENT = `
  query Q($size: Int, $first: Int, $keys: [String!]) {
    page(size: $size, keys: $keys) { ...F next { ...F } }
    other(size: 1000)
  }
  fragment F on Page { items(first: $first) next { items(first: 3) } }
`;

function check(document: DocumentNode, variables: Record<string, unknown>, on = schema) {
  const operation = document.definitions[0] as OperationDefinitionNode;
  return findBoundViolation(on, document, operation, variables, BOUNDS);
}

const CASES: [Record<string, unknown>, string | null][] = [
  [{ size: 5, first: 2 }, null],
  [{ size: 500, first: 2 }, 'size must be between 1 and 100'],
  [{ size: 5, first: 11 }, 'first must be between 0 and 10'],
  [{ size: 5, first: 2, keys: ['a', 'b', 'c'] }, 'keys must have at most 2 items'],
  [{ size: 0, first: 11 }, 'size must be between 1 and 100'],
  // Variables GraphQL refuses (a string for an Int) are left to it, warm or cold.
  [{ size: 'many' }, null],
  [{}, null],
];

it.each(CASES)('answers %j the same for a fresh document and for one seen before', (variables, expected) => {
  const fresh = () => check(parse(DOCUMENT), variables);
  expect(fresh()?.message ?? null).toBe(expected);
  const seen = parse(DOCUMENT);
  // First call walks it; later calls read the kept walk, with whatever variables arrive.
  for (const [other] of CASES) check(seen, other);
  expect(check(seen, variables)).toEqual(fresh());
});

it('reads the values of each request, not those of the request that walked the document', () => {
  const document = parse(DOCUMENT);
  expect(check(document, { size: 5, first: 2 })).toBeNull();
  expect(check(document, { size: 5, first: 50 })).toMatchObject({ field: 'Page.items', argument: 'first' });
  expect(check(document, { size: 5, first: 2 })).toBeNull();
});

it('walks the document again under a new schema (a reloaded supergraph)', () => {
  const document = parse('query Q($n: Int) { page(size: $n) { items(first: 1) } }');
  expect(check(document, { n: 1000 })).toMatchObject({ field: 'Query.page' });
  // The same field on a type with another name: nothing bounded there, so the old walk must not answer.
  const renamed = buildSchema(SDL.replace('type Query', 'schema { query: Root } type Root'));
  expect(check(document, { n: 1000 }, renamed)).toBeNull();
  // And a schema where the field is bounded again is checked again.
  expect(check(document, { n: 1000 }, buildSchema(SDL))).toMatchObject({ field: 'Query.page' });
  expect(check(document, { n: 1000 })).toMatchObject({ field: 'Query.page' });
});

it('keeps one walk per operation of a document with several', () => {
  const document = parse(
    'query A { page(size: 500) { next { items } } } query B { page(size: 5) { items(first: 99) } }',
  );
  const [a, b] = document.definitions as OperationDefinitionNode[];
  expect(findBoundViolation(schema, document, a!, {}, BOUNDS)?.argument).toBe('size');
  expect(findBoundViolation(schema, document, b!, {}, BOUNDS)?.argument).toBe('first');
  expect(findBoundViolation(schema, document, a!, {}, BOUNDS)?.argument).toBe('size');
});
