import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { currentNotices } from '../degradedNotices';

/**
 * Adds `extensions.degraded` to a response any part of which was served degraded (e.g. stale data
 * after an upstream failure), so a client can tell "fresh" from "best we had" without an error.
 */
export function reportDegraded<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const notices = currentNotices();
          if (!notices?.length || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, degraded: notices };
        },
      };
    },
  };
}
