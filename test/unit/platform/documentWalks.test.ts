import fc from 'fast-check';
import {
  buildSchema,
  execute,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  Lexer,
  parse,
  Source,
  TokenKind,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { actualCost } from '../../../platform/graphql/limits/actualCost';
import { CostModel } from '../../../platform/graphql/limits/CostModel';
import { estimateCost } from '../../../platform/graphql/limits/estimateCost';
import { maxAliasesRule } from '../../../platform/graphql/limits/maxAliasesRule';
import { maxDepthRule } from '../../../platform/graphql/limits/maxDepthRule';
import { maxDirectivesRule } from '../../../platform/graphql/limits/maxDirectivesRule';
import { maxSpreadsRule } from '../../../platform/graphql/limits/maxSpreadsRule';
import { readCostDirectives } from '../../../platform/graphql/limits/readCostDirectives';

// Issue 20 §1: fragments that each spread the next one twice made the limit rules and the cost walk
// re-walk a fragment at every spread, 2^n walks for a kilobyte. Here, over random documents: the
// work every walk does is at most linear in the document's size (counted, not timed), and the
// numbers it finds equal those of the naive expansion (every spread replaced by the fragment's body).

const SDL = `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  type Query {
    node: Node
    nodes(first: Int): [Node] @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false, assumedSize: 3)
    page(size: Int = 4): Page @listSize(slicingArguments: ["size"], sizedFields: ["items"])
    name: String
    expensive: String @cost(weight: 7)
  }
  type Page { total: Int  items: [Node] }
  type Node @cost(weight: 2) {
    name: String
    weight: Int @cost(weight: 3)
    child: Node
    children: [Node] @listSize(assumedSize: 2)
    page(size: Int = 2): Page @listSize(slicingArguments: ["size"], sizedFields: ["items"])
  }
`;
const schema = buildSchema(SDL);
const model = new CostModel(schema, readCostDirectives(parse(SDL)), 10);

interface FieldSpec {
  name: string;
  type: string | null; // composite type, or null for a leaf
  args?: readonly string[];
}
const FIELDS: Record<string, readonly FieldSpec[]> = {
  Query: [
    { name: 'node', type: 'Node' },
    { name: 'nodes', type: 'Node', args: ['', '(first: 2)', '(first: $n)'] },
    { name: 'page', type: 'Page', args: ['', '(size: 1)', '(size: $n)'] },
    { name: 'name', type: null },
    { name: 'expensive', type: null },
  ],
  Page: [
    { name: 'total', type: null },
    { name: 'items', type: 'Node' },
  ],
  Node: [
    { name: 'name', type: null },
    { name: 'weight', type: null },
    { name: 'child', type: 'Node' },
    { name: 'children', type: 'Node' },
    { name: 'page', type: 'Page', args: ['', '(size: 3)'] },
  ],
};
const TYPES = Object.keys(FIELDS);
const DIRECTIVES = ['@include(if: true)', '@skip(if: false)', '@skip(if: true)', '@skip(if: $v)'];

interface Shape {
  fragments: number;
  spreadsPerSet: number;
  depth: number;
}

/**
 * A random document: fragments F0…Fk (Fi may spread only Fj with j > i, so no cycle), each on a
 * random type, with fields, aliases, arguments, directives, inline fragments, spreads and a little
 * introspection, and one operation over Query. Not always valid (a spread may not match its place),
 * which the walks must take in their stride anyway.
 */
function randomDocument(g: fc.GeneratorValue, shape: Shape): string {
  const count = g(fc.integer, { min: 0, max: shape.fragments });
  const fragmentTypes = Array.from({ length: count }, () => g(fc.constantFrom, ...TYPES));
  let alias = 0;
  const directive = () =>
    g(fc.integer, { min: 0, max: 5 }) === 0 ? ` ${g(fc.constantFrom, ...DIRECTIVES)}` : '';
  const selectionSet = (type: string, depth: number, from: number): string => {
    const selections: string[] = [];
    const width = g(fc.integer, { min: 1, max: 3 });
    for (let i = 0; i < width; i++) {
      const kind = g(fc.integer, { min: 0, max: 9 });
      const spreadable = fragmentTypes.flatMap((t, j) => (j > from && t === type ? [j] : []));
      if (kind < 3 && spreadable.length > 0) {
        const spreads = g(fc.integer, { min: 1, max: shape.spreadsPerSet });
        for (let s = 0; s < spreads; s++)
          selections.push(`...F${g(fc.constantFrom, ...spreadable)}${directive()}`);
      } else if (kind === 3) {
        selections.push(`... on ${type}${directive()} ${selectionSet(type, depth, from)}`);
      } else if (kind === 4) {
        selections.push(g(fc.boolean) ? '__typename' : '__type(name: "Node") { name fields { name } }');
      } else {
        const field = g(fc.constantFrom, ...FIELDS[type]!);
        const aliased = g(fc.integer, { min: 0, max: 3 }) === 0 ? `a${alias++}: ` : '';
        const args = field.args ? g(fc.constantFrom, ...field.args) : '';
        const below = !field.type
          ? ''
          : depth >= shape.depth
            ? ' { __typename }'
            : ` ${selectionSet(field.type, depth + 1, from)}`;
        selections.push(`${aliased}${field.name}${args}${directive()}${below}`);
      }
    }
    return `{ ${selections.join(' ')} }`;
  };
  const fragments = fragmentTypes.map((type, i) => `fragment F${i} on ${type} ${selectionSet(type, 1, i)}`);
  return [`query Q($v: Boolean = false, $n: Int = 2) ${selectionSet('Query', 1, -1)}`, ...fragments].join(
    '\n',
  );
}

/** Fragments F0…Fn, each spreading the next twice: 2^n selections for about 40 bytes a level. */
function doubling(levels: number, leaf = '__typename'): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  );
  return `query Q { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { ${leaf} }`;
}

function tokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/**
 * The document with every selection list wrapped so that reading a selection from it counts one unit
 * of work: whatever walks the document (graphql's visitor, our rules, the cost walk) pays for each
 * selection it looks at, each time it looks. Deterministic, unlike a stopwatch.
 */
function counted(document: DocumentNode): { document: DocumentNode; work: () => number } {
  let reads = 0;
  const wrap = (selections: readonly SelectionNode[]) =>
    new Proxy(selections, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
  const wrapped = visit(document, {
    SelectionSet: { leave: (node) => ({ ...node, selections: wrap(node.selections) }) },
  });
  return { document: wrapped, work: () => reads };
}

/** The naive expansion: each spread replaced by an inline fragment holding the fragment's body. */
function expanded(document: DocumentNode): { document: DocumentNode; spreads: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let spreads = 0;
  const expand = (selectionSet: SelectionSetNode): SelectionSetNode => ({
    ...selectionSet,
    selections: selectionSet.selections.flatMap((selection): SelectionNode[] => {
      switch (selection.kind) {
        case Kind.FIELD:
          return [
            selection.selectionSet
              ? { ...selection, selectionSet: expand(selection.selectionSet) }
              : selection,
          ];
        case Kind.INLINE_FRAGMENT:
          return [{ ...selection, selectionSet: expand(selection.selectionSet) }];
        case Kind.FRAGMENT_SPREAD: {
          spreads++;
          const fragment = fragments.get(selection.name.value)!;
          const inline: InlineFragmentNode = {
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: fragment.typeCondition,
            directives: [...(selection.directives ?? []), ...(fragment.directives ?? [])],
            selectionSet: expand(fragment.selectionSet),
          };
          return [inline];
        }
      }
    }),
  });
  const operation = operationOf(document);
  return {
    document: {
      kind: Kind.DOCUMENT,
      definitions: [{ ...operation, selectionSet: expand(operation.selectionSet) }],
    },
    spreads,
  };
}

function operationOf(document: DocumentNode): OperationDefinitionNode {
  return document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
}

/** Every limit at 0, so each rule reports what it counted (`extensions.limit.actual`). */
const ALL_RULES: ValidationRule[] = [
  maxDepthRule(0),
  maxAliasesRule(0),
  maxDirectivesRule(0),
  maxSpreadsRule(0),
];

function limitsOf(document: DocumentNode): Record<string, number> {
  const found: Record<string, number> = { depth: 0, aliases: 0, directives: 0, spreads: 0 };
  for (const error of validate(schema, document, ALL_RULES)) {
    const limit = error.extensions.limit as { name: string; actual: number };
    found[limit.name] = limit.actual;
  }
  return found;
}

/** A response to `document`: every list two items long, every object present, leaves filled in. */
function responseTo(document: DocumentNode, variables: Record<string, unknown>): Record<string, unknown> {
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (_source, _args, _context, info) => {
    const type = getNullableType(info.returnType);
    const item = () =>
      isCompositeType(getNamedType(type)) ? {} : getNamedType(type).name === 'Int' ? 1 : 's';
    return isListType(type) ? [item(), item()] : item();
  };
  const result = execute({ schema, document, variableValues: variables, fieldResolver });
  return (result as { data?: Record<string, unknown> }).data ?? {};
}

function objectsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + objectsIn(item), 0);
  if (value && typeof value === 'object')
    return 1 + Object.values(value).reduce((s: number, v) => s + objectsIn(v), 0);
  return 0;
}

const variablesArbitrary = fc.record({ v: fc.boolean(), n: fc.integer({ min: 0, max: 4 }) });
const SMALL: Shape = { fragments: 4, spreadsPerSet: 2, depth: 3 };
const LARGE: Shape = { fragments: 14, spreadsPerSet: 3, depth: 4 };

describe('the limit rules (operationShape)', () => {
  it('count what the naive expansion counts: depth, aliases, directives, spreads as executed', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const document = parse(randomDocument(g, SMALL));
        const naive = expanded(document);
        const naiveLimits = limitsOf(naive.document);
        expect(limitsOf(document)).toEqual({ ...naiveLimits, spreads: naive.spreads });
      }),
      { numRuns: 150 },
    );
  });

  it('do work linear in the document’s tokens, however its fragments nest', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = randomDocument(g, LARGE);
        const { document, work } = counted(parse(text));
        validate(schema, document, ALL_RULES);
        // graphql's visitor reads each selection once, the shape walk once more; a selection is a token or more.
        expect(work()).toBeLessThanOrEqual(2 * tokens(text));
      }),
      { numRuns: 100 },
    );
  });

  it('refuse 40 doubling levels (2^41 − 1 spreads as executed) with a walk of a few hundred reads', () => {
    const text = doubling(40);
    const { document, work } = counted(parse(text));
    const started = performance.now();
    const errors = validate(schema, document, [maxSpreadsRule(100)]);
    const elapsedMs = performance.now() - started;
    expect(errors.map((e) => e.extensions.limit)).toEqual([
      { name: 'spreads', max: 100, actual: 2 ** 41 - 1 },
    ]);
    expect(work()).toBeLessThanOrEqual(2 * tokens(text));
    // Coarse, for a shared 2-core box: the exponential walk took seconds at 20 levels.
    expect(elapsedMs).toBeLessThan(200);
  });

  it('walk a fragment once for the whole document, however many operations spread it', () => {
    const fragment = `fragment Big on Node { ${Array.from({ length: 100 }, (_, i) => `a${i}: name`).join(' ')} }`;
    const operations = Array.from({ length: 50 }, (_, i) => `query Q${i} { node { ...Big } }`);
    const text = [...operations, fragment].join('\n');
    const { document, work } = counted(parse(text));
    const lenient = [maxDepthRule(10), maxAliasesRule(100), maxDirectivesRule(0), maxSpreadsRule(1)];
    expect(validate(schema, document, lenient)).toEqual([]);
    expect(work()).toBeLessThanOrEqual(2 * tokens(text));
  });

  it('saturate a count that no JSON number can hold', () => {
    // 1100 levels: 2^1100 spreads as executed, past what a double can hold (Infinity, which JSON writes as null).
    const errors = validate(schema, parse(doubling(1100)), [maxSpreadsRule(100)]);
    expect(errors[0]?.extensions.limit).toEqual({
      name: 'spreads',
      max: 100,
      actual: Number.MAX_SAFE_INTEGER,
    });
  });
});

describe('the cost walks (estimateCost, actualCost)', () => {
  it('estimate what the naive expansion estimates', () => {
    fc.assert(
      fc.property(fc.gen(), variablesArbitrary, (g, variables) => {
        const document = parse(randomDocument(g, SMALL));
        const naive = expanded(document).document;
        expect(estimateCost(model, document, operationOf(document), variables)).toEqual(
          estimateCost(model, naive, operationOf(naive), variables),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('recompute from a response what the naive expansion recomputes', () => {
    fc.assert(
      fc.property(fc.gen(), variablesArbitrary, (g, variables) => {
        const document = parse(randomDocument(g, SMALL));
        const naive = expanded(document).document;
        const data = responseTo(naive, variables);
        expect(actualCost(model, document, operationOf(document), variables, data)).toBe(
          actualCost(model, naive, operationOf(naive), variables, data),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('do work linear in the document’s tokens (the estimate) and in tokens × response objects (the actual cost)', () => {
    fc.assert(
      fc.property(fc.gen(), variablesArbitrary, (g, variables) => {
        const text = randomDocument(g, LARGE);
        const estimate = counted(parse(text));
        estimateCost(model, estimate.document, operationOf(estimate.document), variables);
        // A fragment is summed once per list sizing handed down to it; this schema and these
        // documents can hand down at most 7 (none, sizes 1, 2, 3, 4, $n, and the defaults).
        expect(estimate.work()).toBeLessThanOrEqual(7 * tokens(text));

        const actual = counted(parse(text));
        const data = responseTo(parse(text), variables);
        actualCost(model, actual.document, operationOf(actual.document), variables, data);
        expect(actual.work()).toBeLessThanOrEqual(tokens(text) * (1 + objectsIn(data)));
      }),
      { numRuns: 150 },
    );
  });

  it('cost 40 doubling levels of a real field at once, saturated', () => {
    const text = doubling(40, 'nodes { weight }');
    const estimate = counted(parse(text));
    const started = performance.now();
    const { cost } = estimateCost(model, estimate.document, operationOf(estimate.document));
    expect(performance.now() - started).toBeLessThan(200);
    // 2^40 copies of 3 nodes at 2 + 3 each: 15 × 2^40, still exact.
    expect(cost).toBe(15 * 2 ** 40);
    expect(estimate.work()).toBeLessThanOrEqual(2 * tokens(text));
    const sixty = parse(doubling(60, 'nodes { weight }'));
    expect(estimateCost(model, sixty, operationOf(sixty)).cost).toBe(Number.MAX_SAFE_INTEGER);

    const actual = counted(parse(text));
    const data = { nodes: [{ weight: 1 }, { weight: 1 }] };
    expect(actualCost(model, actual.document, operationOf(actual.document), {}, data)).toBe(2 ** 40 * 2 * 5);
    expect(actual.work()).toBeLessThanOrEqual(2 * tokens(text));
  });
});
