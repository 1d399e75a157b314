import {
  Kind,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
} from 'graphql';

/** `@listSize` on one field (docs/reference/demand-control.md, "List sizes"). */
export interface ListSize {
  assumedSize: number | null;
  slicingArguments: readonly string[];
  sizedFields: readonly string[];
  requireOneSlicingArgument: boolean;
}

/** The demand-control directives of a schema, by where they stand. */
export interface CostDirectives {
  /** `@cost` on a type (object, scalar, enum, input object), by type name. */
  types: ReadonlyMap<string, number>;
  /** `@cost` on a field or an input field, by `Type.field`. */
  fields: ReadonlyMap<string, number>;
  /** `@cost` on an argument, by `Type.field(argument)`. */
  arguments: ReadonlyMap<string, number>;
  /** `@listSize`, by `Type.field`. */
  listSizes: ReadonlyMap<string, ListSize>;
}

const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/cost\/v\d/;

/**
 * Reads `@cost` and `@listSize` from an SDL document: the composed supergraph, where composition
 * (federation 2.9+) keeps them as directives of the linked cost spec, `@link(url: ".../cost/v0.1")`.
 * The names are resolved through that link (an `as:` or an import may rename them), so a renamed
 * directive is still read and a look-alike of another spec is not. Without the link, the plain
 * names are read (a hand-written schema, as in the unit tests).
 */
export function readCostDirectives(document: DocumentNode): CostDirectives {
  const names = directiveNames(document);
  const types = new Map<string, number>();
  const fields = new Map<string, number>();
  const args = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();

  const readField = (typeName: string, field: FieldDefinitionNode | InputValueDefinitionNode) => {
    const key = `${typeName}.${field.name.value}`;
    const weight = costOf(field.directives, names.cost);
    if (weight !== null) fields.set(key, weight);
    if (field.kind !== Kind.FIELD_DEFINITION) return;
    const listSize = field.directives?.find((d) => d.name.value === names.listSize);
    if (listSize) listSizes.set(key, readListSize(listSize));
    for (const argument of field.arguments ?? []) {
      const argumentWeight = costOf(argument.directives, names.cost);
      if (argumentWeight !== null) args.set(`${key}(${argument.name.value})`, argumentWeight);
    }
  };

  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION: {
        const typeName = definition.name.value;
        const weight = costOf(definition.directives, names.cost);
        if (weight !== null) types.set(typeName, weight);
        if ('fields' in definition) for (const field of definition.fields ?? []) readField(typeName, field);
        break;
      }
      default:
        break;
    }
  }
  return { types, fields, arguments: args, listSizes };
}

function directiveNames(document: DocumentNode): { cost: string; listSize: string } {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = argumentsOf(link);
      if (typeof args.url !== 'string' || !COST_SPEC.test(args.url)) continue;
      // Link spec: the directive named like the spec takes the spec's (possibly renamed) name; any other
      // is `<spec>__<name>` unless imported, under its import alias if it has one.
      const spec = typeof args.as === 'string' ? args.as : 'cost';
      const imported = new Map<string, string>();
      for (const entry of Array.isArray(args.import) ? (args.import as unknown[]) : []) {
        if (typeof entry === 'string') imported.set(entry, entry);
        else if (entry && typeof entry === 'object') {
          const { name, as } = entry as { name?: unknown; as?: unknown };
          if (typeof name === 'string') imported.set(name, typeof as === 'string' ? as : name);
        }
      }
      const nameOf = (directive: string, fallback: string) =>
        (imported.get(`@${directive}`) ?? `@${fallback}`).slice(1);
      return { cost: nameOf('cost', spec), listSize: nameOf('listSize', `${spec}__listSize`) };
    }
  }
  return { cost: 'cost', listSize: 'listSize' };
}

function costOf(directives: readonly ConstDirectiveNode[] | undefined, name: string): number | null {
  const cost = directives?.find((d) => d.name.value === name);
  if (!cost) return null;
  // Federation declares `weight: Int!`; the IBM spec it follows, `String!`: read either.
  const weight = Number(argumentsOf(cost).weight);
  if (!Number.isFinite(weight)) throw new Error(`@${name} needs a numeric weight`);
  return weight;
}

function readListSize(directive: ConstDirectiveNode): ListSize {
  const args = argumentsOf(directive);
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return {
    assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : null,
    slicingArguments: strings(args.slicingArguments),
    sizedFields: strings(args.sizedFields),
    // The directive's declared default.
    requireOneSlicingArgument: args.requireOneSlicingArgument !== false,
  };
}

function argumentsOf(directive: ConstDirectiveNode): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const argument of directive.arguments ?? [])
    values[argument.name.value] = valueFromASTUntyped(argument.value);
  return values;
}
