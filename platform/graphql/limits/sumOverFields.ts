import { Kind, type FieldNode, type GraphQLNamedType, type SelectionSetNode } from 'graphql';
import type { CostedField } from './CostModel';
import type { OperationCostContext } from './OperationCostContext';
import { saturatingAdd } from './saturatingAdd';

export interface SumOverFieldsOptions {
  /** Leave out what `@skip`/`@include` exclude (the estimate); the actual cost reads the response instead. */
  excluding: boolean;
}

/**
 * Each fragment's sum, by fragment and type, for one `fieldCost`: the caller keeps one per setting in
 * which `fieldCost` answers alike (the estimate: per list sizing handed down; the actual cost: per
 * response object), so that a fragment spread many times there is summed once.
 */
export type FragmentSums = Map<string, number | typeof ON_PATH>;

const ON_PATH = Symbol('on the current path');

/**
 * The sum of `fieldCost` over the fields of a selection set, fragments taken where they are spread
 * (as often as spread) and read against their type condition. The one walk both the estimate and the
 * actual cost make, so fragments count the same way in both. Introspection fields (and `__typename`)
 * are answered by the gateway itself and cost nothing; so does a field the schema does not have.
 *
 * A fragment is summed once per `fragmentSums` and type, and its sum reused at every further spread:
 * the walk stays linear in the document's size however the fragments nest (fragments that each
 * spread the next one twice once made it 2^n walks). Sums saturate at Number.MAX_SAFE_INTEGER.
 */
export function sumOverFields(
  context: OperationCostContext,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  fieldCost: (selection: FieldNode, field: CostedField) => number,
  options: SumOverFieldsOptions,
  fragmentSums: FragmentSums,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (options.excluding && context.isExcluded(selection.directives)) continue;
    switch (selection.kind) {
      case Kind.FIELD: {
        if (selection.name.value.startsWith('__')) break;
        const field = context.model.field(parent, selection.name.value);
        if (field) cost = saturatingAdd(cost, fieldCost(selection, field));
        break;
      }
      case Kind.INLINE_FRAGMENT:
        cost = saturatingAdd(
          cost,
          sumOverFields(
            context,
            selection.selectionSet,
            context.typeCondition(selection.typeCondition?.name.value, parent),
            fieldCost,
            options,
            fragmentSums,
          ),
        );
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment = context.fragments.get(selection.name.value);
        if (!fragment) break;
        const type = context.typeCondition(fragment.typeCondition.name.value, parent);
        const key = `${fragment.name.value} ${type.name}`;
        let sum = fragmentSums.get(key);
        // Only a valid document is costed, and validation refuses a fragment cycle; still, never loop.
        if (sum === ON_PATH) break;
        if (sum === undefined) {
          fragmentSums.set(key, ON_PATH);
          sum = sumOverFields(context, fragment.selectionSet, type, fieldCost, options, fragmentSums);
          fragmentSums.set(key, sum);
        }
        cost = saturatingAdd(cost, sum);
        break;
      }
    }
  }
  return cost;
}
