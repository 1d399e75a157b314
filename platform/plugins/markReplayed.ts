import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * A replayed mutation says so twice: `Idempotent-Replayed: true` (Stripe's header) and
 * `extensions.idempotency.replayed`; replays are otherwise byte-identical. Used by the orders subgraph,
 * which knows, and by the gateway, which learns it from the subgraph's header.
 */
export function markReplayed<
  TContext extends BaseContext & { replayed: boolean },
>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (!contextValue.replayed) return;
          response.http.headers.set('idempotent-replayed', 'true');
          if (response.body.kind === 'single') {
            const result = response.body.singleResult;
            result.extensions = { ...result.extensions, idempotency: { replayed: true } };
          }
        },
      };
    },
  };
}
