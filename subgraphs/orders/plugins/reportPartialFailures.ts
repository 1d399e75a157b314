import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import type { SystemFailure } from '../domain/SystemFailure';

export interface PartialFailure {
  error: SystemFailure;
  /** Response path of the field that answered without this system, e.g. `["orderHistory"]`. */
  path: readonly (string | number)[];
}

/**
 * Sends the failures a field survived (one system of a merged history was down) as coded errors next
 * to the data, at that field's path: the learner sees the orders that could be read, and the client is
 * told, with `extensions.code` and `extensions.upstream`, that the list is incomplete. A resolver cannot
 * return data and an error for the same field, hence this plugin.
 */
export function reportPartialFailures<TContext extends BaseContext & { partialFailures: PartialFailure[] }>(
  logger: Logger,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const failures = contextValue.partialFailures;
          if (!failures?.length || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = failures.map(({ error, path }) => {
            logger.warn({ ...error.logFields, path }, error.message);
            return {
              message: error.message,
              path: [...path],
              extensions: { code: error.code, ...error.clientExtensions },
            };
          });
          result.errors = [...(result.errors ?? []), ...errors];
        },
      };
    },
  };
}
