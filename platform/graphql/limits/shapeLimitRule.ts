import { GraphQLError, type ValidationRule } from 'graphql';
import { operationShape, type OperationShape } from './operationShape';

/**
 * A validation rule that refuses an operation whose `name` measure of its shape (operationShape,
 * one linear walk shared by every such rule) is over `max`. The refusal carries
 * `extensions.limit: { name, max, actual }` (docs/api.md: clients read it) and points at the operation.
 */
export function shapeLimitRule(
  name: keyof OperationShape,
  max: number,
  message: (actual: number, max: number) => string,
): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const actual = operationShape(context, operation)[name];
      if (actual <= max) return;
      context.reportError(
        new GraphQLError(message(actual, max), {
          nodes: [operation],
          extensions: { limit: { name, max, actual } },
        }),
      );
    },
  });
}
