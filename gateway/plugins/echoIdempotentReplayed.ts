import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext';

/**
 * `Idempotent-Replayed: true` (Stripe's header) when a subgraph answered a mutation from its
 * idempotency record rather than executing it again.
 */
export function echoIdempotentReplayed(): ApolloServerPlugin<GatewayContext> {
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
