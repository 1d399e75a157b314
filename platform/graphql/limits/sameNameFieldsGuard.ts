import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/**
 * Refuses a document in which one selection set (inline fragments merged into it, as graphql-js
 * merges them) holds more than `max` fields under one response name, without graphql-js's own
 * validation ever seeing it.
 *
 * Why: graphql-js's OverlappingFieldsCanBeMerged compares every pair of fields that share a response
 * name, so its work grows with the square of that count. Within the 1000-token limit,
 * `{ __typename __typename … }` or two hundred `orderHistory { count }` cost it tens of milliseconds
 * per request, before authentication or any rate limit, where a real page costs well under one.
 * A validation rule cannot stop it: every rule runs in the same pass, and what a rule throws is an
 * internal error (500) in Apollo Server. So the plugin counts on `validationDidStart` (one linear
 * pass, only for documents not already validated and cached) and, over the limit, hands validation a
 * one-field stand-in document that the rule refuses with the coded error: the refusal is an ordinary
 * validation failure (400, every plugin runs, nothing is cached). No client document repeats a field
 * more than a few times (the same `id` under a handful of type conditions); the limit is far above.
 */
export function sameNameFieldsGuard<TContext extends BaseContext>(
  max: number,
): {
  plugin: ApolloServerPlugin<TContext>;
  rule: ValidationRule;
} {
  const refused = new WeakMap<DocumentNode, number>();
  const listener: GraphQLRequestListener<TContext> = {
    async validationDidStart(requestContext) {
      const actual = mostSameNameFields(requestContext.document);
      if (actual <= max) return;
      const standIn = parse('{ __typename }');
      refused.set(standIn, actual);
      // Apollo validates and then discards what `document` holds when validation fails.
      (requestContext as { document: DocumentNode }).document = standIn;
    },
  };
  return {
    plugin: { requestDidStart: async () => listener },
    rule: (context) => ({
      Document(document) {
        const actual = refused.get(document);
        if (actual === undefined) return;
        context.reportError(
          new GraphQLError(`A selection set repeats one field ${actual} times; the limit is ${max}`, {
            extensions: { limit: { name: 'sameNameFields', max, actual } },
          }),
        );
      },
    }),
  };
}

/** The largest number of fields sharing one response name in any selection set of `document`. */
export function mostSameNameFields(document: DocumentNode): number {
  let most = 0;
  const pending: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
      pending.push(definition.selectionSet);
  }
  // Each selection set is read once: its fields (through its inline fragments) are counted here and
  // their own selection sets queued, so the pass is linear in the document.
  while (pending.length > 0) {
    const counts = new Map<string, number>();
    const sets = [pending.pop()!];
    while (sets.length > 0) {
      for (const selection of sets.pop()!.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          sets.push(selection.selectionSet);
        } else if (selection.kind === Kind.FIELD) {
          const name = selection.alias?.value ?? selection.name.value;
          const count = (counts.get(name) ?? 0) + 1;
          counts.set(name, count);
          if (count > most) most = count;
          if (selection.selectionSet) pending.push(selection.selectionSet);
        }
      }
    }
  }
  return most;
}
