import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { ORDER_HISTORY_QUERY } from '../../../bench/orderHistoryQuery';
import { DEFAULT_QUERY } from '../../../gateway/explorer/defaultQuery';
import { actualCost } from '../../../platform/graphql/limits/actualCost';
import { CostEstimationError } from '../../../platform/graphql/limits/CostEstimationError';
import { CostModel } from '../../../platform/graphql/limits/CostModel';
import { estimateCost } from '../../../platform/graphql/limits/estimateCost';
import { readCostDirectives } from '../../../platform/graphql/limits/readCostDirectives';
import { schemaDirectory } from '../../../schema/schemaDirectory';

// The schema of Apollo's demand-control page (docs/reference/demand-control.md), whose worked
// examples are the first tests, plus what the other rules need.
const DIRECTIVES = `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
`;
const BOOKS = `${DIRECTIVES}
  type Query {
    book(id: ID): Book
    bestsellers: [Book] @listSize(assumedSize: 5)
    newestAdditions(after: ID, limit: Int!): [Book] @listSize(slicingArguments: ["limit"])
    everything: [Book]
    page(size: Int = 20, first: Int, last: Int): Page @listSize(slicingArguments: ["size"], sizedFields: ["items"])
    window(first: Int, last: Int): Page
      @listSize(slicingArguments: ["first", "last"], sizedFields: ["items"], requireOneSlicingArgument: false, assumedSize: 4)
    strict(first: Int, last: Int): Page @listSize(slicingArguments: ["first", "last"], sizedFields: ["items"])
    search(filter: Filter, tags: [String!] @cost(weight: 2)): [Book] @listSize(assumedSize: 2)
    expensive: String @cost(weight: 7)
    genre: Genre
    items: [Item] @listSize(assumedSize: 2)
    meta(value: JSON): Int
    weighed(filter: Filter @cost(weight: 4), json: JSON @cost(weight: 6)): Int
  }
  directive @defer(if: Boolean! = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
  scalar JSON
  union Item = Book | Author
  type Mutation { addBook(title: String): Book  touch: Boolean }
  type Page { total: Int  items: [Book] }
  type Book { title: String  author: Author  publisher: Publisher }
  type Author { name: String }
  type Publisher { name: String  address: Address }
  type Address @cost(weight: 5) { zipCode: Int! }
  input Filter { text: String @cost(weight: 3)  nested: Filter }
  enum Genre { NOVEL }
`;
const BOOK_FIELDS = `title author { name } publisher { name address { zipCode } }`;

function modelOf(sdl: string, defaultListSize = 100): CostModel {
  return new CostModel(buildSchema(sdl), readCostDirectives(parse(sdl)), defaultListSize);
}
const books = modelOf(BOOKS);

function operationOf(query: string, model: CostModel) {
  const document = parse(query);
  const errors = validate(model.schema, document);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('\n'));
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return { document, operation: operation! };
}

function estimate(query: string, variables: Record<string, unknown> = {}, model = books) {
  const { document, operation } = operationOf(query, model);
  return estimateCost(model, document, operation, variables);
}
const cost = (query: string, variables: Record<string, unknown> = {}, model = books) =>
  estimate(query, variables, model).cost;

describe("Apollo's worked examples", () => {
  it('scores one book with its author, publisher and weighted address at 8 (4 before @cost on Address)', () => {
    expect(cost(`query BookQuery { book(id: 1) { ${BOOK_FIELDS} } }`)).toBe(8);
    const unweighted = modelOf(BOOKS.replace('type Address @cost(weight: 5)', 'type Address'));
    expect(cost(`{ book(id: 1) { ${BOOK_FIELDS} } }`, {}, unweighted)).toBe(4);
  });

  it('multiplies a list by its assumedSize: 5 bestsellers cost 40', () => {
    expect(cost(`{ bestsellers { ${BOOK_FIELDS} } }`)).toBe(40);
  });

  it('multiplies a list by its slicing argument: 3 books cost 24, 7 cost 56', () => {
    expect(cost(`{ newestAdditions(limit: 3) { ${BOOK_FIELDS} } }`)).toBe(24);
    expect(cost(`{ newestAdditions(limit: 7) { ${BOOK_FIELDS} } }`)).toBe(56);
  });
});

describe('default weights', () => {
  it('costs 0 for a query of scalars and enums, 1 per object, 10 for a mutation', () => {
    expect(cost('{ genre }')).toBe(0);
    expect(cost('{ book { title } }')).toBe(1);
    expect(cost('mutation { touch }')).toBe(10);
    expect(cost('mutation { addBook(title: "x") { title author { name } } }')).toBe(12);
  });

  it('uses a field’s own @cost on a leaf and counts __typename and introspection as nothing', () => {
    expect(cost('{ expensive }')).toBe(7);
    expect(cost('{ __typename __schema { types { name fields { name } } } book { __typename } }')).toBe(1);
  });

  it('assumes the default list size for a list no @listSize sizes', () => {
    expect(cost('{ everything { title } }')).toBe(100);
    expect(cost('{ everything { title } }', {}, modelOf(BOOKS, 10))).toBe(10);
  });
});

describe('list sizes', () => {
  it('reads a slicing argument from a variable, the variable’s default, or the field’s default', () => {
    expect(estimate(`query($n: Int!) { newestAdditions(limit: $n) { title } }`, { n: 9 })).toEqual({
      cost: 9,
      dependsOnVariables: true,
    });
    expect(cost(`query($n: Int! = 6) { newestAdditions(limit: $n) { title } }`)).toBe(6);
    // `size` defaults to 20 in the schema; a null keeps the default, as in Apollo Router.
    expect(cost('{ page { items { title } } }')).toBe(1 + 20);
    expect(cost('{ page(size: null) { items { title } } }')).toBe(1 + 20);
  });

  it('sizes the sizedFields of the object a sliced field returns, through fragments too', () => {
    expect(cost('{ page(size: 50) { total items { title } } }')).toBe(1 + 50);
    expect(cost('{ page(size: 50) { ...P } } fragment P on Page { items { author { name } } }')).toBe(
      1 + 50 * 2,
    );
  });

  it('takes the largest of several slicing arguments, and assumedSize when none is given', () => {
    expect(cost('{ window(first: 3, last: 8) { items { title } } }')).toBe(1 + 8);
    expect(cost('{ window { items { title } } }')).toBe(1 + 4);
  });

  it('refuses a field that requires exactly one slicing argument and got none or two', () => {
    expect(() => cost('{ strict { items { title } } }')).toThrow(CostEstimationError);
    expect(() => cost('{ strict(first: 1, last: 2) { items { title } } }')).toThrow(/exactly one/);
    expect(cost('{ strict(first: 3) { items { title } } }')).toBe(1 + 3);
  });

  it('names the slicing arguments in the refusal, and refuses with a CostEstimationError', () => {
    let thrown: unknown;
    try {
      cost('{ strict { items { title } } }');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CostEstimationError);
    expect(thrown).toMatchObject({
      name: 'CostEstimationError',
      message: 'strict needs exactly one of its slicing arguments (first, last); got 0',
    });
  });

  it('takes each variable’s own default, not another variable’s', () => {
    const query = `query($a: Int = 1, $b: Int = 3) { x: newestAdditions(limit: $b) { title } y: book(id: "1") { title } z: newestAdditions(limit: $a) { title } }`;
    expect(cost(query)).toBe(3 + 1 + 1);
  });

  it('never lets a negative size subtract from the rest of the operation', () => {
    expect(cost(`{ newestAdditions(limit: -1000) { title } book { title } }`)).toBe(1);
  });
});

describe('fragments, @skip and @include', () => {
  it('counts a fragment each time it is spread, and inline fragments like fields', () => {
    const query = `{ a: book { ...B } b: book { ...B } c: book { ... on Book { author { name } } } }
      fragment B on Book { author { name } publisher { name } }`;
    expect(cost(query)).toBe(3 + 3 + 2);
  });

  it('leaves out what @skip or @include excludes, literal or from variables', () => {
    const query = `query($no: Boolean!, $yes: Boolean!) {
      a: book @skip(if: true) { title }
      b: book @include(if: false) { title }
      c: book @skip(if: $yes) { title }
      d: book @include(if: $no) { title }
      e: book @include(if: $yes) { ... @skip(if: true) { author { name } } ...F @include(if: $no) }
    }
    fragment F on Book { publisher { name } }`;
    expect(cost(query, { yes: true, no: false })).toBe(1);
    expect(cost(query, { yes: false, no: true })).toBe(1 + 1);
    expect(cost(query, { yes: true, no: true })).toBe(1 + 1 + 1);
  });

  it('counts what another directive with an `if` argument (@defer) marks: it still executes', () => {
    expect(cost('{ book { ... @defer(if: false) { author { name } } } }')).toBe(1 + 1);
    expect(cost('{ book { ... @defer(label: "a", if: true) { author { name } } } }')).toBe(1 + 1);
  });

  it('costs an inline fragment on a union member by that member’s fields', () => {
    // Each of 2 items: 1, plus a Book's author 1.
    expect(cost('{ items { ... on Book { author { name } } ... on Author { name } } }')).toBe(2 * (1 + 1));
  });
});

describe('arguments', () => {
  it('costs an input object 1 plus its fields’ @cost, a list argument its @cost per item and once more', () => {
    expect(cost('{ search(filter: { text: "a" }) { title } }')).toBe(2 + 1 + 3);
    expect(cost('{ search(filter: { nested: { text: "a" } }) { title } }')).toBe(2 + 1 + 1 + 3);
    expect(cost('{ search(tags: ["a", "b"]) { title } }')).toBe(2 + 2 + 2 * 2);
    expect(cost('query($f: Filter) { search(filter: $f) { title } }', { f: { text: 'a' } })).toBe(2 + 1 + 3);
    expect(cost('{ search(filter: null) { title } }')).toBe(2);
  });

  it('costs a weighted list argument given as a variable per item and once more', () => {
    expect(cost('query($t: [String!]) { search(tags: $t) { title } }', { t: ['a', 'b'] })).toBe(
      2 + 2 + 2 * 2,
    );
    expect(cost('query($t: [String!]) { search(tags: $t) { title } }', { t: [] })).toBe(2 + 2);
  });

  it('costs a variable left out or null as nothing, even for a weighted argument', () => {
    const query = 'query($f: Filter, $j: JSON) { weighed(filter: $f, json: $j) }';
    expect(cost(query)).toBe(0);
    expect(cost(query, { f: null, j: null })).toBe(0);
    // An input object at its argument's @cost (4) instead of 1, plus its fields' (text: 3).
    expect(cost(query, { f: { text: 'a' } })).toBe(4 + 3);
    // A custom scalar is a leaf, whatever its value holds: its @cost only.
    expect(cost(query, { j: { text: 'a', nested: {} } })).toBe(6);
  });

  it('costs an object literal given to an unweighted custom scalar as nothing', () => {
    expect(cost('{ meta(value: { a: 1, b: [2] }) }')).toBe(0);
    expect(cost('{ weighed(json: { text: "a" }) }')).toBe(6);
  });
});

it('reports whether the estimate read a variable, so it can be kept for the next request', () => {
  expect(estimate(`query($id: ID) { book(id: $id) { title } }`, { id: '1' }).dependsOnVariables).toBe(false);
  expect(
    estimate(`query($s: Boolean!) { book @skip(if: $s) { title } }`, { s: false }).dependsOnVariables,
  ).toBe(true);
});

describe('actual cost', () => {
  const actual = (query: string, data: Record<string, unknown>, variables: Record<string, unknown> = {}) => {
    const { document, operation } = operationOf(query, books);
    return actualCost(books, document, operation, variables, data);
  };

  it('counts the items each list really returned instead of its assumed size', () => {
    const query = `{ bestsellers { ${BOOK_FIELDS} } }`;
    const book = { title: 't', author: { name: 'a' }, publisher: { name: 'p', address: { zipCode: 1 } } };
    expect(actual(query, { bestsellers: [book, book] })).toBe(2 * 8);
    expect(actual(query, { bestsellers: [] })).toBe(0);
    // Only list sizes differ: with as many items as assumed, actual equals the estimate.
    expect(actual(query, { bestsellers: [book, book, book, book, book] })).toBe(cost(query));
  });

  it('reads aliased fields, counts a null at its explicit @cost (its own or its type’s) only, and adds the mutation base', () => {
    expect(
      actual('{ x: book { title author { name } } y: book { title } }', {
        x: { title: 't', author: null },
        y: null,
      }),
    ).toBe(1);
    expect(actual('{ expensive }', { expensive: null })).toBe(7);
    expect(
      actual('{ publisherless: book { publisher { address { zipCode } } } }', {
        publisherless: { publisher: { address: null } },
      }),
    ).toBe(1 + 1 + 5);
    const { document, operation } = operationOf('mutation { addBook { title } }', books);
    expect(actualCost(books, document, operation, {}, { addBook: { title: 't' } })).toBe(11);
  });

  it('counts named fragments each time they are spread, and __typename and absent fields as nothing', () => {
    const book = { __typename: 'Book', publisher: { address: { zipCode: 1 } } };
    const query = `{ a: book { ...P } b: book { ...P __typename } } fragment P on Book { publisher { address { zipCode } } }`;
    // Each book 1, its publisher 1, the address 5: twice.
    expect(actual(query, { a: book, b: book })).toBe(2 * (1 + 1 + 5));
    // A field the answer does not hold (a subgraph left it out) costs nothing.
    expect(actual(query, { a: book })).toBe(1 + 1 + 5);
    expect(actual('{ __typename }', { __typename: 'Query' })).toBe(0);
    // Even a weighted field costs nothing when the answer does not hold it.
    expect(actual('{ expensive }', {})).toBe(0);
  });

  it('adds what the arguments cost, and reads inline fragments', () => {
    expect(actual('{ search(tags: ["a"]) { title } }', { search: [] })).toBe(2 + 2);
    const items = [{ author: { name: 'a' } }, { name: 'b' }];
    expect(actual('{ items { ... on Book { author { name } } ... on Author { name } } }', { items })).toBe(
      1 + 1 + 1,
    );
  });
});

describe('reading the cost directives', () => {
  it('refuses a @cost whose weight is not a number, naming the directive', () => {
    const sdl = `${DIRECTIVES} type Query { x: String @cost(weight: "heavy") }`;
    expect(() => readCostDirectives(parse(sdl))).toThrow('@cost needs a numeric weight');
  });

  it('reads a weight given as a string of digits (the IBM spec types it String!)', () => {
    const sdl = `${DIRECTIVES} type Query { x: String @cost(weight: "3") }`;
    expect(readCostDirectives(parse(sdl)).fields.get('Query.x')).toBe(3);
  });

  it('names the spec’s other directive <spec>__listSize when the @link does not import it', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/cost/v0.1") { query: Query }
      type Query { items: [String] @cost__listSize(assumedSize: 6)  other: [String] @listSize(assumedSize: 9) x: Int @cost(weight: 2) }`;
    const read = readCostDirectives(parse(sdl));
    expect(read.listSizes.get('Query.items')?.assumedSize).toBe(6);
    expect(read.listSizes.has('Query.other')).toBe(false);
    expect(read.fields.get('Query.x')).toBe(2);
  });

  it('follows only a @link to the cost spec, and only @link itself', () => {
    const sdl = `
      schema
        @link(url: "https://example.com/https://specs.apollo.dev/cost/v0.1", as: "wrong")
        @other(url: "https://specs.apollo.dev/cost/v0.1", as: "alsoWrong") { query: Query }
      type Query { x: Int @cost(weight: 2)  y: Int @wrong(weight: 5) }`;
    const read = readCostDirectives(parse(sdl));
    expect(read.fields.get('Query.x')).toBe(2);
    expect(read.fields.has('Query.y')).toBe(false);
  });

  it('reads a @link on a schema extension, and @cost imported under another name', () => {
    const sdl = `
      extend schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: [{ name: "@cost", as: "@price" }, null, 1])
      type Query { x: Int @price(weight: 2)  y: Int @cost(weight: 5) }`;
    const read = readCostDirectives(parse(sdl));
    expect(read.fields.get('Query.x')).toBe(2);
    expect(read.fields.has('Query.y')).toBe(false);
  });

  it('keeps only the names in a list of slicing arguments or sized fields', () => {
    const sdl = `${DIRECTIVES} type Query { items(first: Int): [String] @listSize(slicingArguments: ["first", 3], sizedFields: [null, "x"]) }`;
    expect(readCostDirectives(parse(sdl)).listSizes.get('Query.items')).toMatchObject({
      slicingArguments: ['first'],
      sizedFields: ['x'],
    });
  });

  it('reads an import given as a bare name', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"]) { query: Query }
      type Query { items: [String] @listSize(assumedSize: 4) }`;
    expect(readCostDirectives(parse(sdl)).listSizes.get('Query.items')?.assumedSize).toBe(4);
  });
});

describe('the committed supergraph', () => {
  const supergraphSdl = readFileSync(join(schemaDirectory(), 'supergraph.graphql'), 'utf8');
  const supergraph = modelOf(supergraphSdl);

  it('keeps the subgraphs’ @cost and @listSize through composition', () => {
    const directives = readCostDirectives(parse(supergraphSdl));
    expect(directives.fields.get('Query.orderHistory')).toBe(10);
    expect(directives.listSizes.get('Query.orderHistory')).toEqual({
      assumedSize: null,
      slicingArguments: ['pageSize'],
      sizedFields: ['orders'],
      requireOneSlicingArgument: true,
    });
    expect(directives.listSizes.get('Order.lines')?.assumedSize).toBe(5);
    expect(directives.types.get('CourseRun')).toBe(2);
    expect(directives.fields.get('Mutation.requestRefund')).toBe(10);
  });

  it('prices the MFE’s order-history page at 350, well under the default limit of 5000', () => {
    // orderHistory 10 + 20 orders × (order 1 + total 1 + 5 lines × (line 1 + courseRun 2))
    expect(cost(DEFAULT_QUERY, { page: 1 }, supergraph)).toBe(350);
    // The benchmark's copy of the page may gain fields; it must stay well under the limit (10%).
    expect(cost(ORDER_HISTORY_QUERY, { page: 3 }, supergraph)).toBeLessThanOrEqual(500);
    expect(
      cost('{ orderHistory(pageSize: 100) { orders { lines { courseRun { title } } } } }', {}, supergraph),
    ).toBe(10 + 100 * (1 + 5 * 3));
  });

  it('prices a refund at the mutation base, its weight and its input', () => {
    const refund = 'mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id status } }';
    expect(cost(refund, { i: { orderNumber: 'EDX-1' } }, supergraph)).toBe(10 + 10 + 1);
  });
});

it('follows the cost spec’s @link when it renames the directives', () => {
  const sdl = `
    schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "price", import: [{ name: "@listSize", as: "@size" }]) { query: Query }
    directive @link(url: String, as: String, import: [Import]) repeatable on SCHEMA
    scalar Import
    directive @price(weight: Int!) on FIELD_DEFINITION | OBJECT
    directive @size(assumedSize: Int) on FIELD_DEFINITION
    directive @cost(weight: Int!) on FIELD_DEFINITION
    type Query { items: [Item] @size(assumedSize: 3)  decoy: Item @cost(weight: 99) }
    type Item @price(weight: 4) { name: String }`;
  const renamed = readCostDirectives(parse(sdl));
  expect(renamed.types.get('Item')).toBe(4);
  expect(renamed.listSizes.get('Query.items')?.assumedSize).toBe(3);
  expect(renamed.fields.has('Query.decoy')).toBe(false);
});
