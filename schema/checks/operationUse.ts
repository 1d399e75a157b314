import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * What one operation touches in a schema, as schema coordinates: `Type.field`, `Type.field(arg:)`,
 * `Enum.VALUE` and `Input.field` for what it names, and whole input and enum types for what its
 * variables may carry (a value sent at run time can use any of their fields or values).
 */
export interface OperationUse {
  coordinates: Set<string>;
  wholeTypes: Set<string>;
}

/**
 * The coordinates `operationName` (or the document's only operation) uses, fragments included, read
 * against `schema`. Names the schema does not know are skipped: they cannot be counted as a field of
 * anything, and validation reports them.
 */
export function operationUse(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): OperationUse {
  const use: OperationUse = { coordinates: new Set(), wholeTypes: new Set() };
  const typeInfo = new TypeInfo(schema);
  visit(
    selectedDefinitions(document, operationName),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && typeInfo.getFieldDef() && !isIntrospection(parent.name, node.name.value))
          use.coordinates.add(`${parent.name}.${node.name.value}`);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (
          !typeInfo.getDirective() &&
          parent &&
          field &&
          typeInfo.getArgument() &&
          !isIntrospection(parent.name, field.name)
        )
          use.coordinates.add(`${parent.name}.${field.name}(${node.name.value}:)`);
      },
      ObjectField(node) {
        const input = typeInfo.getParentInputType();
        const named = input ? getNamedType(input) : null;
        if (named && isInputObjectType(named)) use.coordinates.add(`${named.name}.${node.name.value}`);
      },
      EnumValue(node) {
        const input = typeInfo.getInputType();
        const named = input ? getNamedType(input) : null;
        if (named && isEnumType(named)) use.coordinates.add(`${named.name}.${node.value}`);
      },
      VariableDefinition() {
        const input = typeInfo.getInputType();
        if (input) addWholeType(getNamedType(input), use.wholeTypes);
      },
    }),
  );
  return use;
}

// Introspection (`__schema`, `__Type.fields`, `__typename`) is the same for every schema: never a change, never usage.
const isIntrospection = (type: string, field: string) => type.startsWith('__') || field.startsWith('__');

function addWholeType(type: GraphQLNamedType, into: Set<string>): void {
  if (into.has(type.name)) return;
  if (isEnumType(type)) into.add(type.name);
  if (!isInputObjectType(type)) return;
  into.add(type.name);
  for (const field of Object.values(type.getFields())) addWholeType(getNamedType(field.type), into);
}

/** The chosen operation and the fragments it reaches, so a document's other operations do not count. */
function selectedDefinitions(document: DocumentNode, operationName?: string | null): DocumentNode {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return document;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const reached = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const fragment = fragments.get(node.name.value);
        if (fragment && !reached.has(fragment.name.value)) {
          reached.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return { kind: Kind.DOCUMENT, definitions: [operation, ...reached.values()] };
}
