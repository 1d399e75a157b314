import { parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { ClientOperation } from './ClientOperation';
import { operationUse, type OperationUse } from './operationUse';
import type { SchemaChange } from './schemaChanges';

/** An operation a client ships that the candidate schema would break, and why. */
export interface OperationBreak {
  client: string;
  operation: string;
  id: string;
  /** The coordinates it uses that a breaking change touches (`Order.total`). */
  coordinates: string[];
  /** The breaking changes' messages, then validation's. */
  reasons: string[];
}

export interface OperationBreaksInput {
  /** The schema clients see today (API schema), or null when there is none to compare with (start-up). */
  before: GraphQLSchema | null;
  /** The candidate's API schema. */
  after: GraphQLSchema;
  /** `schemaChanges(before, after)`; empty without `before`. */
  changes: readonly SchemaChange[];
  operations: readonly ClientOperation[];
}

/**
 * The rule every gate applies (schema:check, `npm run compose`, the gateway's supergraph reload): an
 * operation a client ships is broken when it no longer validates against the candidate's API schema
 * (a field removed, renamed or hidden with `@inaccessible`), or when a breaking change touches a
 * coordinate it uses while it still validates (a field that became nullable, an input field now
 * required).
 */
export function operationBreaks(input: OperationBreaksInput): OperationBreak[] {
  const breaking = input.changes.filter((c) => c.level === 'breaking');
  const broken: OperationBreak[] = [];
  for (const operation of input.operations) {
    let document: DocumentNode;
    try {
      document = parse(operation.body);
    } catch (error) {
      broken.push({
        ...identity(operation),
        coordinates: [],
        reasons: [`does not parse: ${(error as Error).message}`],
      });
      continue;
    }
    const use = operationUse(input.before ?? input.after, document);
    const touching = breaking.filter((change) => touches(change, use));
    const invalid = validate(input.after, document).map((e) => e.message);
    if (touching.length === 0 && invalid.length === 0) continue;
    broken.push({
      ...identity(operation),
      coordinates: [...new Set(touching.map((c) => c.coordinate!))],
      reasons: [...touching.map((c) => c.message), ...invalid],
    });
  }
  return broken;
}

const identity = (operation: ClientOperation) => ({
  client: operation.client,
  operation: operation.name || operation.id,
  id: operation.id,
});

/** Does a change at this coordinate reach what the operation uses? A removed type reaches its fields. */
export function touches(change: SchemaChange, use: OperationUse): boolean {
  const coordinate = change.coordinate;
  if (!coordinate) return false;
  if (use.coordinates.has(coordinate)) return true;
  const typeName = coordinate.split(/[.(]/)[0]!;
  if (use.wholeTypes.has(typeName)) return true;
  if (coordinate !== typeName) return false;
  for (const used of use.coordinates) if (used.startsWith(`${typeName}.`)) return true;
  return false;
}
