import {
  type DocumentNode,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostedField, CostModel } from './CostModel';
import { OperationCostContext } from './OperationCostContext';
import { saturatingAdd } from './saturatingAdd';
import { sumOverFields, type FragmentSums } from './sumOverFields';

/**
 * The operation's cost recomputed from its response, Apollo's "actual cost"
 * (docs/reference/demand-control.md): the same weights as the estimate, but each list counts the
 * items it really returned, and a field the response lacks (skipped, or lost to an error) counts
 * nothing. A null costs only an explicit `@cost` (the resolver ran; nothing below it did). Each
 * fragment is summed once per response object it applies to (sumOverFields): the work is the
 * document's size times the response's, however the fragments nest.
 */
export function actualCost(
  model: CostModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  data: Readonly<Record<string, unknown>>,
): number {
  const context = new OperationCostContext(model, document, operation, variables);
  const root = model.schema.getRootType(operation.operation);
  const sums = new WeakMap<object, FragmentSums>();
  return saturatingAdd(
    context.operationCost,
    root ? selectionSetCost(context, sums, operation.selectionSet, root, data) : 0,
  );
}

function selectionSetCost(
  context: OperationCostContext,
  sums: WeakMap<object, FragmentSums>,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  data: Readonly<Record<string, unknown>>,
): number {
  let fragmentSums = sums.get(data);
  if (!fragmentSums) sums.set(data, (fragmentSums = new Map()));
  return sumOverFields(
    context,
    selectionSet,
    parent,
    (selection, field) => {
      const key = selection.alias?.value ?? selection.name.value;
      if (!Object.prototype.hasOwnProperty.call(data, key)) return 0;
      return saturatingAdd(
        valueCost(context, sums, field, selection.selectionSet, data[key]),
        context.argumentsCost(field, selection),
      );
    },
    // A skipped field is absent from the response, which already counts it as nothing.
    { excluding: false },
    fragmentSums,
  );
}

function valueCost(
  context: OperationCostContext,
  sums: WeakMap<object, FragmentSums>,
  field: CostedField,
  selectionSet: SelectionSetNode | undefined,
  value: unknown,
): number {
  if (Array.isArray(value))
    return value.reduce(
      (sum: number, item) => saturatingAdd(sum, valueCost(context, sums, field, selectionSet, item)),
      0,
    );
  if (value !== null && typeof value === 'object' && selectionSet)
    return saturatingAdd(
      field.weight,
      selectionSetCost(context, sums, selectionSet, field.namedType, value as Record<string, unknown>),
    );
  return field.explicitWeight ?? 0;
}
