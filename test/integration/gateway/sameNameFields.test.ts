import { mostSameNameFields } from '../../../platform/graphql/limits/sameNameFieldsGuard';
import { MAX_SAME_NAME_FIELDS } from '../../../platform/graphql/limits/queryLimitOptions';
import { parse } from 'graphql';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// graphql-js's OverlappingFieldsCanBeMerged compares every pair of fields sharing a response name:
// within the 1000-token limit, `{ __typename × 998 }` or 198 × `orderHistory { count }` cost it tens
// of milliseconds per anonymous request, quadratically. maxSameNameFieldsRule refuses such a document
// in one linear pass before that rule sees a selection set.

const REPEATED = {
  leaves: `{ ${'__typename '.repeat(998)}}`,
  fields: `{ ${'orderHistory { count } '.repeat(198)}}`,
  inlineFragments: `{ ${'... { orderHistory { count } } '.repeat(140)}}`,
  nested: `{ orderHistory { count ${'orders { number } '.repeat(150)}} }`,
  manyFragments: `{ ${Array.from({ length: 75 }, (_, i) => `...F${i}`).join(' ')} } ${Array.from(
    { length: 75 },
    (_, i) => `fragment F${i} on Query { orderHistory { count } }`,
  ).join(' ')}`,
  inAFragment: `query Q { ...F } fragment F on Query { ${'orderHistory { count } '.repeat(150)}}`,
};

const upstreamCalls = (stack: TestStack) =>
  stack.simulators.legacy!.stats().total + stack.simulators.discovery!.stats().total;

describe('fields repeated under one response name', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it.each(Object.entries(REPEATED))(
    'refuses %s at validation with a coded 400, before any upstream call',
    async (_shape, document) => {
      const before = upstreamCalls(stack);
      for (const caller of [{}, { user: 'learner1' }]) {
        const answer = await stack.query(document, caller);
        expect(answer.status).toBe(400);
        expect(answer.body.data).toBeUndefined();
        expect(answer.body.errors).toHaveLength(1);
        expect(answer.body.errors?.[0]?.extensions).toMatchObject({
          code: 'GRAPHQL_VALIDATION_FAILED',
          limit: { name: 'sameNameFields', max: MAX_SAME_NAME_FIELDS },
        });
        expect(answer.body.errors?.[0]?.extensions?.http).toBeUndefined();
        // The request id is still echoed: the refusal goes through the gateway's own answer path.
        expect(answer.headers.get('x-request-id')).toBeTruthy();
      }
      expect(upstreamCalls(stack)).toBe(before);
    },
  );

  it('answers a document that repeats a field up to the limit', async () => {
    const document = `{ ${'orderHistory(pageSize: 1) { count } '.repeat(MAX_SAME_NAME_FIELDS)}}`;
    const answer = await stack.query<{ orderHistory: { count: number } }>(document, { user: 'learner1' });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.orderHistory.count).toBeGreaterThan(0);
  });

  it('refuses the same document sent straight to a subgraph', async () => {
    const answer = await stack.query(REPEATED.fields, {
      url: `${stack.ordersUrl}/graphql`,
      user: 'learner1',
      headers: stack.subgraphHeaders,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.limit).toMatchObject({ name: 'sameNameFields' });
  });
});

describe('mostSameNameFields', () => {
  it('counts per selection set, inline fragments merged, aliases as the response name', () => {
    expect(mostSameNameFields(parse('{ a a b { c c c } ... { a ... on Q { a } } }'))).toBe(4);
    expect(mostSameNameFields(parse('{ x: a y: a a }'))).toBe(1);
    expect(mostSameNameFields(parse('query { a } fragment F on Q { b { c c } }'))).toBe(2);
    expect(mostSameNameFields(parse('{ a { b } a { b } }'))).toBe(2);
  });
});

describe('mostSameNameFields through named fragments', () => {
  it('adds the fields of each distinct fragment a set spreads, once however often it is spread', () => {
    const many = Array.from({ length: 30 }, (_, i) => `...F${i}`).join(' ');
    const defs = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Q { a { b } }`).join(' ');
    expect(mostSameNameFields(parse(`{ ${many} } ${defs}`))).toBe(30);
    expect(mostSameNameFields(parse('{ ...F ...F ...F } fragment F on Q { a }'))).toBe(1);
    expect(mostSameNameFields(parse('{ a ...F } fragment F on Q { a ...G } fragment G on Q { a }'))).toBe(3);
    expect(mostSameNameFields(parse('{ ...F } fragment F on Q { ...F a }'))).toBe(1);
  });

  it('reads each selection set once, however deep the fragments nest', () => {
    // Fragments that each spread the next one twice, with deep selections: a pass that re-read a
    // fragment per spread, or queued its sets twice, would not finish.
    const levels = 60;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Q { a { a { a { b } } } ...F${i + 1} ...F${i + 1} }`,
    );
    const document = parse(`{ ...F0 } ${fragments.join(' ')} fragment F${levels} on Q { c }`);
    const started = performance.now();
    expect(mostSameNameFields(document)).toBe(levels);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
