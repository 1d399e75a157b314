import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { OrdersContext } from '../OrdersContext';

/**
 * Sends the failures a field survived (one system of a merged history was down) as coded errors next
 * to the data, at that field's path: the learner sees the orders that could be read, and the client is
 * told, with `extensions.code` and `extensions.upstream`, that the list is incomplete. A resolver cannot
 * return data and an error for the same field, hence this plugin.
 */
export function reportPartialFailures(logger: Logger): ApolloServerPlugin<OrdersContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const failures = contextValue.partialFailures;
          if (!failures?.length || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = failures.map(({ error, path }) => {
            logger.warn(
              { upstream: error.upstream, code: error.code, detail: error.detail, path },
              error.message,
            );
            return {
              message: error.message,
              path: [...path],
              extensions: { code: error.code, upstream: error.upstream, retryable: error.retryable },
            };
          });
          result.errors = [...(result.errors ?? []), ...errors];
        },
      };
    },
  };
}
