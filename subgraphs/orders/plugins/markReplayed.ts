import type { ApolloServerPlugin } from '@apollo/server';
import type { MutationContext } from '../mutations/mutationResolvers';

/**
 * A replayed mutation says so twice: `Idempotent-Replayed: true` (Stripe's header, which the gateway
 * passes on) and `extensions.idempotency.replayed`. Replays are otherwise byte-identical.
 */
export function markReplayed(): ApolloServerPlugin<MutationContext> {
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
