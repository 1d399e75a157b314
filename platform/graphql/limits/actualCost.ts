import {
  type DocumentNode,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostedField, CostModel } from './CostModel';
import { OperationCostContext } from './OperationCostContext';
import { sumOverFields } from './sumOverFields';

/**
 * The operation's cost recomputed from its response, Apollo's "actual cost"
 * (docs/reference/demand-control.md): the same weights as the estimate, but each list counts the
 * items it really returned, and a field the response lacks (skipped, or lost to an error) counts
 * nothing. A null costs only an explicit `@cost` (the resolver ran; nothing below it did).
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
  return context.operationCost + (root ? selectionSetCost(context, operation.selectionSet, root, data) : 0);
}

function selectionSetCost(
  context: OperationCostContext,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  data: Readonly<Record<string, unknown>>,
): number {
  return sumOverFields(
    context,
    selectionSet,
    parent,
    (selection, field) => {
      const key = selection.alias?.value ?? selection.name.value;
      if (!Object.prototype.hasOwnProperty.call(data, key)) return 0;
      return (
        valueCost(context, field, selection.selectionSet, data[key]) + context.argumentsCost(field, selection)
      );
    },
    // A skipped field is absent from the response, which already counts it as nothing.
    { excluding: false },
  );
}

function valueCost(
  context: OperationCostContext,
  field: CostedField,
  selectionSet: SelectionSetNode | undefined,
  value: unknown,
): number {
  if (Array.isArray(value))
    return value.reduce((sum: number, item) => sum + valueCost(context, field, selectionSet, item), 0);
  if (value !== null && typeof value === 'object' && selectionSet)
    return (
      field.weight +
      selectionSetCost(context, selectionSet, field.namedType, value as Record<string, unknown>)
    );
  return field.explicitWeight ?? 0;
}
