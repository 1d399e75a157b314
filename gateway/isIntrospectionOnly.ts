import { Kind, type OperationDefinitionNode } from 'graphql';

/**
 * True when every root field is a meta field (`__schema`, `__type`, `__typename`): the explorer must
 * load the schema before anyone has pasted a token, and such queries never reach a subgraph.
 */
export function isIntrospectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every(
    (selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'),
  );
}
