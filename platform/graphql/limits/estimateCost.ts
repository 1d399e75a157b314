import {
  type DocumentNode,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostModel } from './CostModel';
import { OperationCostContext, type SizedList } from './OperationCostContext';
import { saturatingAdd, saturatingMultiply } from './saturatingAdd';
import { sumOverFields, type FragmentSums } from './sumOverFields';

export interface CostEstimate {
  cost: number;
  /** False when no variable's value was read: the same document always costs the same. */
  dependsOnVariables: boolean;
}

/**
 * An operation's estimated cost before anything executes, by Apollo's demand-control rules
 * (docs/reference/demand-control.md): the operation's base cost plus, for each field that will
 * execute, (its weight plus its selections' cost) times how many it will be, plus its arguments'
 * cost. Fragments count where spread, as often as spread, each summed once per list sizing it is
 * spread under (sumOverFields): linear in the document's size. The document must have passed
 * validation. Throws CostEstimationError when a `@listSize` rule makes the cost unknowable.
 */
export function estimateCost(
  model: CostModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): CostEstimate {
  const context = new OperationCostContext(model, document, operation, variables);
  const root = model.schema.getRootType(operation.operation);
  const sums = new Map<string, FragmentSums>();
  const cost = saturatingAdd(
    context.operationCost,
    root ? selectionSetCost(context, sums, operation.selectionSet, root, null) : 0,
  );
  return { cost, dependsOnVariables: context.dependsOnVariables };
}

function selectionSetCost(
  context: OperationCostContext,
  sums: Map<string, FragmentSums>,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  sizedBy: SizedList | null,
): number {
  // A fragment's fields cost alike wherever the same sizing is handed down to them: by value, as
  // each field selected makes its own SizedList.
  const sizing = sizedBy ? `${sizedBy.expected} ${sizedBy.sizedFields.join(',')}` : '';
  let fragmentSums = sums.get(sizing);
  if (!fragmentSums) sums.set(sizing, (fragmentSums = new Map()));
  return sumOverFields(
    context,
    selectionSet,
    parent,
    (selection, field) => {
      const own = context.sizedList(field, selection);
      const sizedByParent = sizedBy?.sizedFields.includes(selection.name.value) ? sizedBy.expected : null;
      const childrenSizedBy = own && own.sizedFields.length > 0 ? own : null;
      const each = saturatingAdd(
        field.weight,
        selection.selectionSet
          ? selectionSetCost(context, sums, selection.selectionSet, field.namedType, childrenSizedBy)
          : 0,
      );
      return saturatingAdd(
        saturatingMultiply(context.instanceCount(field, sizedByParent, own), each),
        context.argumentsCost(field, selection),
      );
    },
    { excluding: true },
    fragmentSums,
  );
}
