import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from '../GatewayContext';
import { logMutationReceived } from '../logMutationReceived';

/**
 * Notes which operation the request turned out to be, and whether it was replayed, for logMutationEnd;
 * logs a mutation's ingress line (logMutationReceived) as soon as it is known to be one.
 */
export function noteOperation(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, operationName }) {
          if (!operation) return;
          contextValue.notes.operation = { type: operation.operation, name: operationName ?? null };
          if (operation.operation === 'mutation')
            logMutationReceived(contextValue, operationName ?? null, logger);
        },
        async willSendResponse({ contextValue }) {
          contextValue.notes.replayed = contextValue.replayed;
        },
      };
    },
  };
}
