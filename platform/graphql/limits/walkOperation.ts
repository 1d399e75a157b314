import {
  Kind,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Visits every field an operation would execute, fragments expanded where they are used (a fragment
 * spread twice is visited twice: it executes twice), with its depth (a root field is 1). Introspection
 * fields (`__schema`, `__type`, `__typename`) and what lies below them are skipped: the explorer's
 * introspection query is deep by nature and costs the upstreams nothing.
 */
export function walkOperation(
  context: ValidationContext,
  operation: OperationDefinitionNode,
  visit: (field: FieldNode, depth: number) => void,
): void {
  const walk = (selectionSet: SelectionSetNode, depth: number, fragments: ReadonlySet<string>) => {
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          if (selection.name.value.startsWith('__')) break;
          visit(selection, depth);
          if (selection.selectionSet) walk(selection.selectionSet, depth + 1, fragments);
          break;
        case Kind.INLINE_FRAGMENT:
          walk(selection.selectionSet, depth, fragments);
          break;
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          // A cycle is reported by graphql's own NoFragmentCycles rule; here it must only not loop.
          if (fragments.has(name)) break;
          const fragment = context.getFragment(name);
          if (fragment) walk(fragment.selectionSet, depth, new Set([...fragments, name]));
          break;
        }
      }
    }
  };
  walk(operation.selectionSet, 1, new Set());
}
