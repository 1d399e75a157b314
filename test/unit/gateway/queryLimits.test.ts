import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { maxAliasesRule } from '../../../platform/graphql/limits/maxAliasesRule';
import { maxDepthRule } from '../../../platform/graphql/limits/maxDepthRule';

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

describe('where a refusal points', () => {
  // The error locates the operation refused, so a client (and the explorer) can show which one.
  it.each([
    ['depth', maxDepthRule(1), 'query Deep { orderHistory { orders { number } } }'],
    ['aliases', maxAliasesRule(0), 'query Aliased { a: orderHistory { orders { number } } }'],
  ])('points a %s refusal at the operation', (_name, rule, query) => {
    const document = `fragment F on Order { number }\n  ${query}`;
    const [error, ...rest] = validate(schema, parse(document), [rule]);
    expect(rest).toEqual([]);
    expect(error?.locations).toEqual([{ line: 2, column: 3 }]);
  });
});
