import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
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

/**
 * The largest number of fields sharing one response name in any selection set of `document`, as
 * graphql-js's merge check sees a set: its inline fragments merged in, and the fields of every
 * distinct fragment it spreads (and that those spread) compared with it too.
 */
export function mostSameNameFields(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const pending: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) pending.push(definition.selectionSet);
  }
  // A fragment's names are counted once and reused wherever it is spread; a set spreading the same
  // fragment twice takes it once, as graphql-js compares it once. So the pass stays linear in the
  // document, doubling fragments included.
  const ofFragment = new Map<string, ReadonlyMap<string, number> | typeof ON_PATH>();
  const namesOf = (selectionSet: SelectionSetNode): Map<string, number> => {
    const counts = new Map<string, number>();
    const spread = new Set<string>();
    const sets = [selectionSet];
    while (sets.length > 0) {
      for (const selection of sets.pop()!.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          sets.push(selection.selectionSet);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          spread.add(selection.name.value);
        } else {
          const name = selection.alias?.value ?? selection.name.value;
          counts.set(name, (counts.get(name) ?? 0) + 1);
          if (selection.selectionSet) pending.push(selection.selectionSet);
        }
      }
    }
    for (const name of spread) {
      for (const [field, count] of fragmentNames(name))
        counts.set(field, Math.min((counts.get(field) ?? 0) + count, Number.MAX_SAFE_INTEGER));
    }
    return counts;
  };
  const fragmentNames = (name: string): ReadonlyMap<string, number> => {
    const known = ofFragment.get(name);
    // A cycle or an unknown fragment is graphql's own rules' to refuse; here it must only end.
    if (known === ON_PATH) return EMPTY;
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition) return EMPTY;
    ofFragment.set(name, ON_PATH);
    const names = namesOf(definition.selectionSet);
    ofFragment.set(name, names);
    return names;
  };
  // Every selection set is read once: an operation's, a fragment's (through fragmentNames, which
  // keeps it), and each field's, queued by the read of the set that holds the field.
  let most = 0;
  const take = (counts: ReadonlyMap<string, number>) => {
    for (const count of counts.values()) if (count > most) most = count;
  };
  for (const name of fragments.keys()) take(fragmentNames(name));
  while (pending.length > 0) take(namesOf(pending.pop()!));
  return most;
}

const ON_PATH = Symbol('on the current path');
const EMPTY: ReadonlyMap<string, number> = new Map();
