import { Kind, type FieldNode, type GraphQLNamedType, type SelectionSetNode } from 'graphql';
import type { CostedField } from './CostModel';
import type { OperationCostContext } from './OperationCostContext';

export interface SumOverFieldsOptions {
  /** Leave out what `@skip`/`@include` exclude (the estimate); the actual cost reads the response instead. */
  excluding: boolean;
}

/**
 * The sum of `fieldCost` over the fields of a selection set, fragments taken where they are spread
 * (as often as spread) and read against their type condition. The one walk both the estimate and the
 * actual cost make, so fragments count the same way in both. Introspection fields (and `__typename`)
 * are answered by the gateway itself and cost nothing; so does a field the schema does not have.
 */
export function sumOverFields(
  context: OperationCostContext,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  fieldCost: (selection: FieldNode, field: CostedField) => number,
  options: SumOverFieldsOptions,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (options.excluding && context.isExcluded(selection.directives)) continue;
    switch (selection.kind) {
      case Kind.FIELD: {
        if (selection.name.value.startsWith('__')) break;
        const field = context.model.field(parent, selection.name.value);
        if (field) cost += fieldCost(selection, field);
        break;
      }
      case Kind.INLINE_FRAGMENT:
        cost += sumOverFields(
          context,
          selection.selectionSet,
          context.typeCondition(selection.typeCondition?.name.value, parent),
          fieldCost,
          options,
        );
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment = context.fragments.get(selection.name.value);
        if (fragment)
          cost += sumOverFields(
            context,
            fragment.selectionSet,
            context.typeCondition(fragment.typeCondition.name.value, parent),
            fieldCost,
            options,
          );
        break;
      }
    }
  }
  return cost;
}
