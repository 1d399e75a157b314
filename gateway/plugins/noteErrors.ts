import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext';
import { errorsSeen } from '../requestOutcome';

/**
 * Notes whether the answer held errors, and of which kind, for the request counter
 * (countGraphQLRequests). It reads the formatted errors' codes only: a few per response at most.
 */
export function noteErrors(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const errors =
            response.body.kind === 'single'
              ? response.body.singleResult.errors
              : response.body.initialResult.errors;
          contextValue.notes.errors = errorsSeen(errors);
        },
      };
    },
  };
}
