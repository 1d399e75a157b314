import { GraphQLError, type ValidationRule } from 'graphql';
import { walkOperation } from './walkOperation';

/**
 * Rejects an operation whose fields nest deeper than `max` (a root field is depth 1) at validation,
 * before anything executes: at the gateway before planning or any subgraph call, at a subgraph before
 * any upstream call. The order-history page the MFE renders is 5 deep
 * (orderHistory → orders → lines → courseRun → title).
 */
export function maxDepthRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      let deepest = 0;
      walkOperation(context, operation, (_field, depth) => {
        deepest = Math.max(deepest, depth);
      });
      if (deepest > max) {
        context.reportError(
          new GraphQLError(`Query is ${deepest} levels deep; the limit is ${max}`, {
            nodes: [operation],
            extensions: { limit: { name: 'depth', max, actual: deepest } },
          }),
        );
      }
    },
  });
}
