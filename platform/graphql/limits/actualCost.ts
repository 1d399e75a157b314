import {
  Kind,
  type DocumentNode,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostedField, CostModel } from './CostModel';
import { OperationCostContext } from './OperationCostContext';

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
  let cost = 0;
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD: {
        if (selection.name.value.startsWith('__')) break;
        const key = selection.alias?.value ?? selection.name.value;
        if (!Object.prototype.hasOwnProperty.call(data, key)) break;
        const field = context.model.field(parent, selection.name.value);
        if (!field) break;
        cost +=
          valueCost(context, field, selection.selectionSet, data[key]) +
          context.argumentsCost(field, selection);
        break;
      }
      case Kind.INLINE_FRAGMENT:
        cost += selectionSetCost(
          context,
          selection.selectionSet,
          context.typeCondition(selection.typeCondition?.name.value, parent),
          data,
        );
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment = context.fragments.get(selection.name.value);
        if (fragment)
          cost += selectionSetCost(
            context,
            fragment.selectionSet,
            context.typeCondition(fragment.typeCondition.name.value, parent),
            data,
          );
        break;
      }
    }
  }
  return cost;
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
