import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../platform/ErrorCode';
import { codedError } from '../../platform/codedError';
import type { GatewayContext } from '../GatewayContext';
import { isIntrospectionOnly } from '../isIntrospectionOnly';

/**
 * Refuses anonymous operations once the operation is known and before the query plan runs, so an
 * unauthenticated request costs no subgraph or upstream call. (Invalid tokens are refused earlier, in
 * the context function.)
 */
export function requireAuthentication(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (!contextValue.identity && (!operation || !isIntrospectionOnly(operation))) {
            throw codedError(
              ErrorCode.UNAUTHENTICATED,
              'Authentication required: send Authorization: JWT <token>',
              {
                http: { status: 401 },
              },
            );
          }
        },
      };
    },
  };
}
