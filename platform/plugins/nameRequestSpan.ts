import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { ATTR_GRAPHQL_OPERATION_NAME, ATTR_GRAPHQL_OPERATION_TYPE } from '../tracing/attributeNames';
import { requestSpan } from '../tracing/requestSpan';

/**
 * Names the request's SERVER span after its GraphQL operation (`query History`) once Apollo has
 * resolved it: every request is `POST /graphql`, the operation is what tells them apart. Anonymous
 * operations keep the HTTP name and get only `graphql.operation.type`.
 */
export function nameRequestSpan<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  // One listener serves every request: it keeps no state of its own.
  const listener: GraphQLRequestListener<TContext> = {
    async didResolveOperation({ operation, operationName }) {
      const span = requestSpan();
      if (!operation || !span?.isRecording()) return;
      span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, operation.operation);
      if (!operationName) return;
      span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
      span.updateName(`${operation.operation} ${operationName}`);
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
