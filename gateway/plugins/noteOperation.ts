import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext';

/** Notes which operation the request turned out to be, and whether it was replayed, for logMutationEnd. */
export function noteOperation(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, operationName }) {
          if (operation)
            contextValue.notes.operation = { type: operation.operation, name: operationName ?? null };
        },
        async willSendResponse({ contextValue }) {
          contextValue.notes.replayed = contextValue.replayed;
        },
      };
    },
  };
}
