import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '../ErrorCode';
import { codedError } from '../codedError';
import type { ArgumentBounds } from '../graphql/bounds/ArgumentBound';
import { findBoundViolation } from '../graphql/bounds/findBoundViolation';

/**
 * Refuses an operation with an argument over its declared bound (schema/argumentBounds.ts), once the
 * operation is known and before it executes: at the gateway before any plan or subgraph call, at a
 * subgraph before any upstream call, idempotency record or queued job. BAD_USER_INPUT (400), naming the
 * field, the argument's path and the bound: `extensions: { field, argument, bound }`.
 */
export function enforceArgumentBounds<TContext extends BaseContext>(
  bounds: ArgumentBounds,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const violation = findBoundViolation(schema, document, operation, request.variables, bounds);
          if (!violation) return;
          throw codedError(ErrorCode.BAD_USER_INPUT, violation.message, {
            field: violation.field,
            argument: violation.argument,
            bound: violation.bound,
            http: { status: 400 },
          });
        },
      };
    },
  };
}
