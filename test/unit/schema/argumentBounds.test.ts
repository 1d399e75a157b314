import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isScalarType,
  parse,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { ArgumentBound } from '../../../platform/graphql/bounds/ArgumentBound';
import { findBoundViolation } from '../../../platform/graphql/bounds/findBoundViolation';
import { ARGUMENT_BOUNDS, COURSE_RUN_KEY } from '../../../schema/argumentBounds';
import { readSubgraphSdl } from '../../../schema/readSubgraphSdl';

const schemas: Record<string, GraphQLSchema> = Object.fromEntries(
  ['orders.graphql', 'catalog.graphql'].map((file) => [
    file,
    buildSubgraphSchema({ typeDefs: parse(readSubgraphSdl(file)) }),
  ]),
);

/** Every argument of every operation the SDLs declare, by schema coordinate (federation's own excluded). */
function declaredArguments(): Map<string, Map<string, GraphQLInputType>> {
  const found = new Map<string, Map<string, GraphQLInputType>>();
  for (const schema of Object.values(schemas)) {
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        if (field.name.startsWith('_') || field.args.length === 0) continue;
        found.set(`${root!.name}.${field.name}`, new Map(field.args.map((a) => [a.name, a.type])));
      }
    }
  }
  return found;
}

/** A bound of the kind the type calls for, down through input objects and lists. */
function expectFits(where: string, type: GraphQLInputType, declared: ArgumentBound | undefined): void {
  expect({ where, bound: declared !== undefined }).toEqual({ where, bound: true });
  const bound = declared!;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    expect({ where, kind: bound.kind }).toEqual({ where, kind: 'list' });
    if (bound.kind === 'list') expectFits(`${where}[]`, nullable.ofType as GraphQLInputType, bound.items);
    return;
  }
  const named = getNamedType(nullable);
  if (isInputObjectType(named)) {
    expect({ where, kind: bound.kind }).toEqual({ where, kind: 'input' });
    if (bound.kind !== 'input') return;
    const fields = named.getFields();
    expect(Object.keys(bound.fields).sort()).toEqual(Object.keys(fields).sort());
    for (const [name, field] of Object.entries(fields))
      expectFits(`${where}.${name}`, field.type, bound.fields[name]);
    return;
  }
  const kind = isEnumType(named)
    ? 'enum'
    : named.name === 'Int'
      ? 'int'
      : named.name === 'Boolean'
        ? 'boolean'
        : 'string';
  expect(isScalarType(named) || isEnumType(named)).toBe(true);
  expect({ where, kind: bound.kind }).toEqual({ where, kind });
}

it('declares a bound for every argument of every operation in orders.graphql and catalog.graphql', () => {
  const declared = declaredArguments();
  expect([...declared.keys()].sort()).toEqual(Object.keys(ARGUMENT_BOUNDS).sort());
  for (const [coordinate, args] of declared) {
    const bounds = ARGUMENT_BOUNDS[coordinate]!;
    expect(Object.keys(bounds).sort()).toEqual([...args.keys()].sort());
    for (const [name, type] of args) expectFits(`${coordinate}(${name})`, type, bounds[name]);
  }
});

it('gives every bound a source (what docs/reference/argument-bounds.md cites)', () => {
  const sources: string[] = [];
  const collect = (bound: ArgumentBound) => {
    if (bound.kind === 'input') Object.values(bound.fields).forEach(collect);
    else sources.push(bound.source);
    if (bound.kind === 'list') collect(bound.items);
  };
  Object.values(ARGUMENT_BOUNDS).forEach((args) => Object.values(args).forEach(collect));
  expect(sources.every((s) => s.trim().length > 10)).toBe(true);
});

describe('course run keys, as opaque-keys parses them', () => {
  it.each([
    'course-v1:edX+DemoX+Demo_Course',
    'course-v1:MITx+6.00x+2T2026',
    'course-v1:GhostX+Retired101+1T2015',
    'edX/DemoX/Demo_Course',
    'course-v1:Université+Cours-1+T~1',
  ])('accepts %s', (key) => expect(COURSE_RUN_KEY.pattern!.test(key)).toBe(true));

  it.each([
    'course-v1:edX+DemoX',
    'edX+DemoX+Demo_Course',
    'course-v1:edX+Demo X+Demo_Course',
    'course-v1:edX+DemoX+Demo_Course\n',
    'block-v1:edX+DemoX+Demo_Course+type@html+block@1',
    '',
  ])('refuses %j', (key) => expect(COURSE_RUN_KEY.pattern!.test(key)).toBe(false));
});

describe('findBoundViolation', () => {
  const schema = schemas['orders.graphql']!;
  const check = (query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition')!;
    return findBoundViolation(schema, document, operation as never, variables, ARGUMENT_BOUNDS);
  };

  it('reads a literal and a variable alike, naming the argument path and the bound', () => {
    const long = 'E'.repeat(129);
    expect(check(`{ order(number: "${long}") { number } }`)).toMatchObject({
      field: 'Query.order',
      argument: 'number',
      bound: { maxLength: 128 },
    });
    expect(
      check('mutation R($i: RequestRefundInput!) { requestRefund(input: $i) { id } }', {
        i: { orderNumber: long },
      }),
    ).toMatchObject({ field: 'Mutation.requestRefund', argument: 'input.orderNumber' });
  });

  it('checks a list’s length before its items, and each item against the item bound', () => {
    const q =
      'mutation R($a: [ID!]) { requestRefund(input: { orderNumber: "EDX-1", alsoRefund: $a }) { id } }';
    expect(check(q, { a: Array.from({ length: 51 }, () => 'x') })).toMatchObject({
      argument: 'input.alsoRefund',
      bound: { maxItems: 50 },
    });
    expect(check(q, { a: ['EDX-1', 'E'.repeat(129)] })).toMatchObject({
      argument: 'input.alsoRefund.1',
      bound: { maxLength: 128 },
    });
  });

  it('finds a value inside a fragment, spread however often, walking each fragment once', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { order(number: "${'E'.repeat(200)}") { number } }`
        : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    const started = process.hrtime.bigint();
    const found = check(`query Q { ...F0 }\n${fragments}`);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(found).toMatchObject({ argument: 'number' });
    expect(ms).toBeLessThan(500);
  });

  it('leaves values GraphQL itself refuses to GraphQL, and lets the bounds themselves through', () => {
    expect(check('query Q($n: ID!) { order(number: $n) { number } }', {})).toBeNull();
    expect(check(`{ order(number: "${'E'.repeat(128)}") { number } }`)).toBeNull();
    expect(check('{ orderHistory(page: 10000, pageSize: 100) { count } }')).toBeNull();
    expect(check('{ orderHistory(page: 10001, pageSize: 100) { count } }')).toMatchObject({
      argument: 'page',
      bound: { min: 1, max: 10_000 },
    });
    expect(check('{ orderHistory(pageSize: 0) { count } }')).toMatchObject({ argument: 'pageSize' });
  });
});
