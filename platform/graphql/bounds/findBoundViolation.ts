import {
  getArgumentValues,
  getVariableValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ArgumentBound, ArgumentBounds, BoundViolation } from './ArgumentBound';
import { boundViolation } from './boundViolation';

/** A field with declared bounds, where the operation (or a fragment it spreads) selects it. */
interface BoundSite {
  coordinate: string;
  definition: GraphQLField<unknown, unknown>;
  node: FieldNode;
  declared: Readonly<Record<string, ArgumentBound>>;
}

// The bounded fields of each operation, found once per (bounds, schema, document, operation): the
// walk with type information was ~4 % of a co-located worker's CPU per page, paid three times per
// page (gateway, then each subgraph) for the same few documents (bench/PROFILE.md, issue 25). Only
// the argument values change per request. Weak keys all the way: an entry lives as long as its
// schema and document do — a reloaded supergraph's schema is a new key, and Apollo Server keeps
// parsed documents in its bounded document store (about 30 MiB by default), so the documents alive,
// hence the entries, are those the store holds plus the requests in flight.
const plans = new WeakMap<
  ArgumentBounds,
  WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<OperationDefinitionNode, readonly BoundSite[]>>>
>();

function boundSitesOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  bounds: ArgumentBounds,
): readonly BoundSite[] {
  let bySchema = plans.get(bounds);
  if (!bySchema) plans.set(bounds, (bySchema = new WeakMap()));
  let byDocument = bySchema.get(schema);
  if (!byDocument) bySchema.set(schema, (byDocument = new WeakMap()));
  let byOperation = byDocument.get(document);
  if (!byOperation) byDocument.set(document, (byOperation = new Map()));
  let sites = byOperation.get(operation);
  if (!sites) byOperation.set(operation, (sites = walkBoundSites(schema, document, operation, bounds)));
  return sites;
}

/**
 * Every bounded field the operation selects, in the order a check meets them: the operation, then
 * each fragment it spreads, walked once however often it is spread (variables are the operation's, so
 * a fragment's arguments are the same wherever it lands).
 */
function walkBoundSites(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  bounds: ArgumentBounds,
): readonly BoundSite[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  const queued = new Set<string>();
  const sites: BoundSite[] = [];
  while (pending.length > 0) {
    const typeInfo = new TypeInfo(schema);
    visit(
      pending.pop()!,
      visitWithTypeInfo(typeInfo, {
        FragmentSpread(spread) {
          const name = spread.name.value;
          const fragment = fragments.get(name);
          if (fragment && !queued.has(name)) {
            queued.add(name);
            pending.push(fragment);
          }
        },
        Field(node) {
          const parent = typeInfo.getParentType();
          const definition = typeInfo.getFieldDef();
          if (!parent || !definition) return;
          const coordinate = `${parent.name}.${definition.name}`;
          const declared = bounds[coordinate];
          if (declared) sites.push({ coordinate, definition, node, declared });
        },
      }),
    );
  }
  return sites;
}

/**
 * The first argument of `operation` over its bound, or null. Arguments are read as execution will
 * read them (literals and variables, coerced by graphql-js's own `getVariableValues` and
 * `getArgumentValues`), so a value cannot slip past by arriving through a variable. Linear in the
 * document, once per document (boundSitesOf); per request, linear in its bounded fields. Values
 * GraphQL itself will refuse (a wrong type, a missing variable) are left to it.
 */
export function findBoundViolation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
  bounds: ArgumentBounds,
): BoundViolation | null {
  const sites = boundSitesOf(schema, document, operation, bounds);
  if (sites.length === 0) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, {
    maxErrors: 1,
  });
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  for (const { coordinate, definition, node, declared } of sites) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, node, variables);
    } catch {
      continue;
    }
    for (const [name, bound] of Object.entries(declared)) {
      const found = boundViolation(coordinate, name, bound, args[name]);
      if (found) return found;
    }
  }
  return null;
}
