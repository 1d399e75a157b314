import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, type Registry } from 'prom-client';
import { ErrorCode } from '../../platform/ErrorCode';
import { codedError } from '../../platform/codedError';
import type { GatewayContext } from '../GatewayContext';
import { isIntrospectionOnly } from '../isIntrospectionOnly';
import type { PersistedQueryManifest } from '../safelist/PersistedQueryManifest';

/**
 * PERSISTED_QUERIES=require: only operations in the manifest run. Apollo Server has already hashed
 * the document (`queryHash`, the sha256 of the exact body — the manifest's id), so an operation sent
 * by id and one sent as its exact body are the same check. Refused once the operation is known and
 * before the query plan runs: no subgraph is called. Introspection stays open where it is enabled
 * (development), so the explorer can load the schema.
 */
export function enforceSafelist(
  manifest: PersistedQueryManifest,
  options: { allowIntrospection: boolean; metrics: Registry },
): ApolloServerPlugin<GatewayContext> {
  const checked = new Counter({
    name: 'switchyard_safelist_operations_total',
    help: 'Operations checked against the persisted-query list: listed, introspection (let through), refused',
    labelNames: ['outcome'],
    registers: [options.metrics],
  });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ queryHash, operation }) {
          if (manifest.has(queryHash)) return void checked.inc({ outcome: 'listed' });
          if (options.allowIntrospection && operation && isIntrospectionOnly(operation)) {
            return void checked.inc({ outcome: 'introspection' });
          }
          checked.inc({ outcome: 'refused' });
          throw codedError(
            ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
            'This operation is not in the persisted-query list',
            {
              http: { status: 400 },
            },
          );
        },
      };
    },
  };
}
