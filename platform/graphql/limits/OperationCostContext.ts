import {
  Kind,
  isInputObjectType,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { CostEstimationError } from './CostEstimationError';
import type { CostedField, CostedInput, CostModel } from './CostModel';

/** A `@listSize` applied to one selected field: how long its list is, and which children it sizes. */
export interface SizedList {
  expected: number | null;
  sizedFields: readonly string[];
}

/**
 * One operation with its request's variables: the rules the estimate and the actual cost share
 * (docs/reference/demand-control.md). Notes whether any variable's value was read, so an estimate
 * that read none can be reused for the next request of the same document.
 */
export class OperationCostContext {
  readonly fragments = new Map<string, FragmentDefinitionNode>();
  dependsOnVariables = false;
  private readonly variableCosts = new WeakMap<CostedInput, Map<string, number>>();

  constructor(
    readonly model: CostModel,
    document: DocumentNode,
    readonly operation: OperationDefinitionNode,
    private readonly variables: Readonly<Record<string, unknown>>,
  ) {
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
  }

  /** Apollo's operation base cost: 10 for a mutation, 0 for a query or a subscription. */
  get operationCost(): number {
    return this.operation.operation === 'mutation' ? 10 : 0;
  }

  /** A variable's value as execution sees it: the request's, else the variable's default. */
  variable(name: string): unknown {
    this.dependsOnVariables = true;
    if (Object.prototype.hasOwnProperty.call(this.variables, name)) return this.variables[name];
    const definition = this.operation.variableDefinitions?.find((v) => v.variable.name.value === name);
    return definition?.defaultValue ? valueFromASTUntyped(definition.defaultValue) : undefined;
  }

  /** `@skip(if: true)` or `@include(if: false)`, literal or from a variable: it will not execute. */
  isExcluded(directives: readonly DirectiveNode[] | undefined): boolean {
    if (!directives?.length) return false;
    for (const directive of directives) {
      const name = directive.name.value;
      if (name !== 'skip' && name !== 'include') continue;
      const condition = directive.arguments?.find((a) => a.name.value === 'if')?.value;
      if (!condition) continue;
      const value =
        condition.kind === Kind.VARIABLE
          ? this.variable(condition.name.value)
          : condition.kind === Kind.BOOLEAN
            ? condition.value
            : undefined;
      // Anything but a real boolean counts the field in: the estimate errs on the side of cost.
      if (name === 'skip' ? value === true : value === false) return true;
    }
    return false;
  }

  /** The field's `@listSize` for this selection: slicing arguments read from literals, variables, defaults. */
  sizedList(field: CostedField, node: FieldNode): SizedList | null {
    const listSize = field.listSize;
    if (!listSize) return null;
    let expected: number | null = null;
    if (listSize.slicingArguments.length > 0) {
      const given = new Map<string, number>();
      for (const name of listSize.slicingArguments) {
        const fallback = field.argumentDefaults.get(name);
        if (Number.isInteger(fallback)) given.set(name, fallback as number);
      }
      for (const argument of node.arguments ?? []) {
        const name = argument.name.value;
        if (!listSize.slicingArguments.includes(name)) continue;
        const value =
          argument.value.kind === Kind.INT
            ? Number(argument.value.value)
            : argument.value.kind === Kind.VARIABLE
              ? this.variable(argument.value.name.value)
              : undefined;
        if (Number.isInteger(value)) given.set(name, value as number);
      }
      if (listSize.requireOneSlicingArgument && given.size !== 1) {
        throw new CostEstimationError(
          `${node.name.value} needs exactly one of its slicing arguments (${listSize.slicingArguments.join(', ')}); got ${given.size}`,
        );
      }
      if (given.size > 0) expected = Math.max(...given.values());
    }
    expected ??= listSize.assumedSize;
    // A negative page size must not subtract from the rest of the operation (Apollo takes it as given).
    return { expected: expected === null ? null : Math.max(0, expected), sizedFields: listSize.sizedFields };
  }

  /** How many times a list field counts: sized by its parent, else by its own @listSize, else the default. */
  instanceCount(field: CostedField, sizedByParent: number | null, own: SizedList | null): number {
    if (!field.isList) return 1;
    return sizedByParent ?? own?.expected ?? this.model.defaultListSize;
  }

  /** The cost of the arguments given to a field (those left to their defaults cost nothing). */
  argumentsCost(field: CostedField, node: FieldNode): number {
    let cost = 0;
    for (const argument of node.arguments ?? []) {
      const definition = field.arguments.get(argument.name.value);
      if (definition) cost += this.literalCost(argument.value, definition);
    }
    return cost;
  }

  // Apollo: an input object costs its @cost (default 1) plus its fields; a list its @cost (default 0)
  // plus each item at the same definition; a leaf its @cost (default 0); null nothing.
  private literalCost(value: ValueNode, input: CostedInput): number {
    switch (value.kind) {
      case Kind.VARIABLE:
        // An unweighted leaf (or list of them) costs 0 whatever its value: no need to read it, and
        // not reading it keeps the estimate reusable across requests.
        if (input.weight === null && !isInputObjectType(input.namedType)) return 0;
        return this.variableCost(value.name.value, input);
      case Kind.NULL:
        return 0;
      case Kind.LIST:
        return value.values.reduce((sum, item) => sum + this.literalCost(item, input), input.weight ?? 0);
      case Kind.OBJECT: {
        if (!isInputObjectType(input.namedType)) return input.weight ?? 0;
        let cost = input.weight ?? 1;
        for (const field of value.fields) {
          const definition = this.model.inputField(input.namedType, field.name.value);
          if (definition) cost += this.literalCost(field.value, definition);
        }
        return cost;
      }
      default:
        return input.weight ?? 0;
    }
  }

  // A variable's value is walked once per input it is given to, however many fields it is given to:
  // a large list sent once must not be walked again at every spread of the fragment that reads it.
  private variableCost(name: string, input: CostedInput): number {
    let byName = this.variableCosts.get(input);
    if (!byName) this.variableCosts.set(input, (byName = new Map()));
    let cost = byName.get(name);
    if (cost === undefined) byName.set(name, (cost = this.valueCost(this.variable(name), input)));
    return cost;
  }

  private valueCost(value: unknown, input: CostedInput): number {
    if (value === null || value === undefined) return 0;
    if (Array.isArray(value))
      return value.reduce((sum: number, item) => sum + this.valueCost(item, input), input.weight ?? 0);
    if (typeof value === 'object' && isInputObjectType(input.namedType)) {
      let cost = input.weight ?? 1;
      for (const [name, item] of Object.entries(value)) {
        const definition = this.model.inputField(input.namedType, name);
        if (definition) cost += this.valueCost(item, definition);
      }
      return cost;
    }
    return input.weight ?? 0;
  }

  /** The type a fragment's selections apply to. */
  typeCondition(name: string | undefined, fallback: GraphQLNamedType): GraphQLNamedType {
    return (name && this.model.schema.getType(name)) || fallback;
  }
}
