import {
  Kind,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { saturatingAdd } from './saturatingAdd';

/**
 * What an operation would execute, fragments expanded where they are spread (a fragment spread
 * twice counts twice), without expanding anything: the numbers the limit rules compare.
 */
export interface OperationShape {
  /** Deepest field nesting, a root field being 1. Introspection fields and what lies below them are not counted. */
  depth: number;
  /** Aliased fields, as executed. Introspection fields and what lies below them are not counted. */
  aliases: number;
  /** Directives on fields, fragments and spreads (and the operation's own), as executed, introspection included. */
  directives: number;
  /** Fragment spreads, as executed, introspection included. */
  spreads: number;
}

const EMPTY: OperationShape = Object.freeze({ depth: 0, aliases: 0, directives: 0, spreads: 0 });

/**
 * The shape of `operation`, in one pass over the document: each fragment is walked once and its shape
 * reused wherever it is spread, by this operation or another in the document, so the work is linear
 * in the document's size however the fragments nest. (The walk it replaces re-walked a fragment at
 * every spread: twenty-three fragments that each spread the next one twice, under a kilobyte, took
 * 2^23 walks and held a gateway for seconds.) Counts that multiply through spreads saturate at
 * Number.MAX_SAFE_INTEGER rather than grow past what a JSON number can say exactly. Kept per
 * validation, so every rule shares one walk.
 */
export function operationShape(
  context: ValidationContext,
  operation: OperationDefinitionNode,
): OperationShape {
  let walked = walks.get(context);
  if (!walked) {
    walked = {
      fragments: new FragmentShapes((name) => context.getFragment(name)),
      operations: new WeakMap(),
    };
    walks.set(context, walked);
  }
  let shape = walked.operations.get(operation);
  if (!shape) {
    shape = withDirectives(walked.fragments.of(operation.selectionSet), operation.directives);
    walked.operations.set(operation, shape);
  }
  return shape;
}

const walks = new WeakMap<
  ValidationContext,
  { fragments: FragmentShapes; operations: WeakMap<OperationDefinitionNode, OperationShape> }
>();

/** Selection sets' shapes, each fragment's computed on first use and kept. */
class FragmentShapes {
  private readonly known = new Map<string, OperationShape | typeof ON_PATH>();

  constructor(private readonly fragment: (name: string) => FragmentDefinitionNode | null | undefined) {}

  /** The shape of a selection set, its root fields at depth 1. */
  of(selectionSet: SelectionSetNode): OperationShape {
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    let spreads = 0;
    for (const selection of selectionSet.selections) {
      directives = saturatingAdd(directives, selection.directives?.length ?? 0);
      let inner: OperationShape;
      switch (selection.kind) {
        case Kind.FIELD: {
          inner = selection.selectionSet ? this.of(selection.selectionSet) : EMPTY;
          if (selection.name.value.startsWith('__')) {
            // Introspection is deep by nature and costs no upstream: it counts for neither depth
            // nor aliases. What it spreads and the directives it carries still count.
            inner = { depth: 0, aliases: 0, directives: inner.directives, spreads: inner.spreads };
          } else {
            inner = {
              depth: inner.depth + 1,
              aliases: saturatingAdd(inner.aliases, selection.alias ? 1 : 0),
              directives: inner.directives,
              spreads: inner.spreads,
            };
          }
          break;
        }
        case Kind.INLINE_FRAGMENT:
          inner = this.of(selection.selectionSet);
          break;
        case Kind.FRAGMENT_SPREAD:
          inner = this.ofFragment(selection.name.value);
          spreads = saturatingAdd(spreads, 1);
          break;
      }
      depth = Math.max(depth, inner.depth);
      aliases = saturatingAdd(aliases, inner.aliases);
      directives = saturatingAdd(directives, inner.directives);
      spreads = saturatingAdd(spreads, inner.spreads);
    }
    return { depth, aliases, directives, spreads };
  }

  private ofFragment(name: string): OperationShape {
    const known = this.known.get(name);
    // A cycle is reported by graphql's own NoFragmentCycles rule, which refuses the document; here it
    // must only end. An unknown fragment likewise (KnownFragmentNames).
    if (known === ON_PATH) return EMPTY;
    if (known) return known;
    const definition = this.fragment(name);
    if (!definition) return EMPTY;
    this.known.set(name, ON_PATH);
    const shape = withDirectives(this.of(definition.selectionSet), definition.directives);
    this.known.set(name, shape);
    return shape;
  }
}

const ON_PATH = Symbol('on the current path');

function withDirectives(
  shape: OperationShape,
  directives: readonly DirectiveNode[] | undefined,
): OperationShape {
  if (!directives?.length) return shape;
  return { ...shape, directives: saturatingAdd(shape.directives, directives.length) };
}
