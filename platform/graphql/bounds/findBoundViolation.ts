import {
  BREAK,
  getArgumentValues,
  getVariableValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ArgumentBounds, BoundViolation } from './ArgumentBound';
import { boundViolation } from './boundViolation';

/**
 * The first argument of `operation` over its bound, or null. Arguments are read as execution will
 * read them (literals and variables, coerced by graphql-js's own `getVariableValues` and
 * `getArgumentValues`), so a value cannot slip past by arriving through a variable. Linear in the
 * document: the operation and each fragment it spreads are walked once, however often the fragment is
 * spread (variables are the operation's, so a fragment's arguments are the same wherever it lands).
 * Values GraphQL itself will refuse (a wrong type, a missing variable) are left to it.
 */
export function findBoundViolation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
  bounds: ArgumentBounds,
): BoundViolation | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, {
    maxErrors: 1,
  });
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  const queued = new Set<string>();
  let found: BoundViolation | null = null;
  while (pending.length > 0 && found === null) {
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
          if (!parent || !definition) return undefined;
          const coordinate = `${parent.name}.${definition.name}`;
          const declared = bounds[coordinate];
          if (!declared) return undefined;
          let args: Record<string, unknown>;
          try {
            args = getArgumentValues(definition, node, variables);
          } catch {
            return undefined;
          }
          for (const [name, bound] of Object.entries(declared)) {
            found = boundViolation(coordinate, name, bound, args[name]);
            if (found) return BREAK;
          }
          return undefined;
        },
      }),
    );
  }
  return found;
}
