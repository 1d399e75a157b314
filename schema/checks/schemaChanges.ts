import type * as inspectorModule from '@graphql-inspector/core';
import type { Change } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';

/** `safe` is graphql-inspector's NON_BREAKING. */
export type ChangeLevel = 'breaking' | 'dangerous' | 'safe';

export interface SchemaChange {
  level: ChangeLevel;
  /** graphql-inspector's change type, e.g. `FIELD_REMOVED`. */
  type: string;
  /** The schema coordinate changed (`Order.total`, `Query.orderHistory(page:)`, `OrderStatus.OPEN`), when there is one. */
  coordinate: string | null;
  message: string;
  /** Why graphql-inspector rates it so, when it says. */
  reason: string | null;
}

const LEVELS: Record<`${inspectorModule.CriticalityLevel}`, ChangeLevel> = {
  BREAKING: 'breaking',
  DANGEROUS: 'dangerous',
  NON_BREAKING: 'safe',
};

/** Every change from `before` to `after`, rated by graphql-inspector (the library GraphQL Hive's checks use). */
export async function schemaChanges(before: GraphQLSchema, after: GraphQLSchema): Promise<SchemaChange[]> {
  // Loaded on first use (about 2 MiB and 120 ms): a gateway without a safelist never diffs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { diff } = require('@graphql-inspector/core') as typeof inspectorModule;
  return (await diff(before, after)).map((change) => ({
    level: LEVELS[change.criticality.level],
    type: change.type,
    coordinate: coordinateOf(change),
    message: change.message,
    reason: change.criticality.reason ?? null,
  }));
}

// graphql-inspector writes an argument's path `Type.field.arg`; the schema coordinate is `Type.field(arg:)`.
function coordinateOf(change: Change): string | null {
  if (!change.path) return null;
  if (!String(change.type).startsWith('FIELD_ARGUMENT_')) return change.path;
  const [type, field, argument] = change.path.split('.');
  return argument === undefined ? change.path : `${type}.${field}(${argument}:)`;
}
