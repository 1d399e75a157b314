import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { maxAliasesRule } from '../../../platform/graphql/limits/maxAliasesRule';
import { maxDepthRule } from '../../../platform/graphql/limits/maxDepthRule';
import { maxDirectivesRule } from '../../../platform/graphql/limits/maxDirectivesRule';
import { maxSpreadsRule } from '../../../platform/graphql/limits/maxSpreadsRule';

const schema = buildSchema(`
  type Query { orderHistory: Page  node: Node }
  type Page { orders: [Order] }
  type Order { number: String  lines: [Line] }
  type Line { title: String  courseRun: Run }
  type Run { title: String  org: Org }
  type Org { name: String  parent: Org }
  type Node { child: Node  name: String }
`);

const errorsOf = (query: string, rule = maxDepthRule(5)) =>
  validate(schema, parse(query), [rule]).map((e) => ({ message: e.message, limit: e.extensions.limit }));

describe('maxDepthRule', () => {
  it('lets the order-history page through at its own depth', () => {
    expect(errorsOf('{ orderHistory { orders { lines { courseRun { title } } } } }')).toEqual([]);
  });

  it('rejects one level more, saying how deep and what the limit is', () => {
    expect(errorsOf('{ orderHistory { orders { lines { courseRun { org { name } } } } } }')).toEqual([
      { message: 'Query is 6 levels deep; the limit is 5', limit: { name: 'depth', max: 5, actual: 6 } },
    ]);
  });

  it('counts through fragments and inline fragments, and is not fooled by a fragment cycle', () => {
    const viaFragments = `
      query { node { ...A } }
      fragment A on Node { child { ... on Node { child { ...B } } } }
      fragment B on Node { child { child { name } } }`;
    expect(errorsOf(viaFragments)[0]?.limit).toEqual({ name: 'depth', max: 5, actual: 6 });
    const cycle = `query { node { ...A } } fragment A on Node { child { ...A } }`;
    expect(() => errorsOf(cycle)).not.toThrow();
  });

  it('ignores introspection, which is deep by nature and touches no upstream', () => {
    expect(errorsOf(getIntrospectionQuery({ descriptions: true }))).toEqual([]);
    expect(errorsOf('{ __typename orderHistory { __typename orders { number } } }')).toEqual([]);
  });
});

describe('maxAliasesRule', () => {
  const aliased = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: orderHistory { orders { number } }`).join(' ')} }`;

  it('allows up to the limit and rejects one more', () => {
    expect(errorsOf(aliased(3), maxAliasesRule(3))).toEqual([]);
    expect(errorsOf(aliased(4), maxAliasesRule(3))).toEqual([
      { message: 'Query uses 4 aliases; the limit is 3', limit: { name: 'aliases', max: 3, actual: 4 } },
    ]);
  });

  it('counts a fragment’s aliases each time it is spread', () => {
    const query = `{ orderHistory { ...F } h2: orderHistory { ...F } }
      fragment F on Page { o1: orders { number } o2: orders { number } }`;
    expect(errorsOf(query, maxAliasesRule(4))[0]?.limit).toEqual({ name: 'aliases', max: 4, actual: 5 });
  });
});

describe('maxDirectivesRule', () => {
  it('counts directives as executed: on fields, fragments, spreads and the operation, a fragment’s at each spread', () => {
    const query = `query Q @a { orderHistory @include(if: true) { ...F @skip(if: false) ... @b { orders { number } } } }
      fragment F on Page @c { orders @d { number } }`;
    // @a, @include, @b, then per spread of F: @skip, @c, @d.
    expect(errorsOf(query, maxDirectivesRule(6))).toEqual([]);
    expect(errorsOf(query, maxDirectivesRule(5))).toEqual([
      {
        message: 'Query uses 6 directives; the limit is 5',
        limit: { name: 'directives', max: 5, actual: 6 },
      },
    ]);
    const twice = query.replace('...F @skip(if: false)', '...F ...F');
    expect(errorsOf(twice, maxDirectivesRule(5))[0]?.limit).toEqual({
      name: 'directives',
      max: 5,
      actual: 7,
    });
  });
});

describe('maxSpreadsRule', () => {
  it('counts fragment spreads as executed, a fragment’s own spreads at each spread of it', () => {
    const query = `{ orderHistory { ...A ...A } }
      fragment A on Page { ...B ... on Page { ...B } }
      fragment B on Page { orders { number } }`;
    expect(errorsOf(query, maxSpreadsRule(6))).toEqual([]);
    expect(errorsOf(query, maxSpreadsRule(5))).toEqual([
      {
        message: 'Query spreads fragments 6 times; the limit is 5',
        limit: { name: 'spreads', max: 5, actual: 6 },
      },
    ]);
  });

  it('counts spreads under introspection too, and ends on a fragment cycle', () => {
    const introspection = `{ __schema { ...S ...S } } fragment S on __Schema { queryType { name } }`;
    expect(errorsOf(introspection, maxSpreadsRule(1))[0]?.limit).toEqual({
      name: 'spreads',
      max: 1,
      actual: 2,
    });
    expect(errorsOf(getIntrospectionQuery({ descriptions: true }), maxSpreadsRule(100))).toEqual([]);
    const cycle = `query { node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { ...A }`;
    expect(() => errorsOf(cycle, maxSpreadsRule(1))).not.toThrow();
  });
});

describe('where a refusal points', () => {
  // The error locates the operation refused, so a client (and the explorer) can show which one.
  it.each([
    ['depth', maxDepthRule(1), 'query Deep { orderHistory { orders { number } } }'],
    ['aliases', maxAliasesRule(0), 'query Aliased { a: orderHistory { orders { number } } }'],
    [
      'directives',
      maxDirectivesRule(0),
      'query Skipping { orderHistory @skip(if: false) { orders { number } } }',
    ],
    ['spreads', maxSpreadsRule(0), 'query Spreading { orderHistory { orders { ...F } } }'],
  ])('points a %s refusal at the operation', (_name, rule, query) => {
    const document = `fragment F on Order { number }\n  ${query}`;
    const [error, ...rest] = validate(schema, parse(document), [rule]);
    expect(rest).toEqual([]);
    expect(error?.locations).toEqual([{ line: 2, column: 3 }]);
  });
});
