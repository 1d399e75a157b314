import { GraphQLError, type ValidationRule } from 'graphql';
import { walkOperation } from './walkOperation';

/**
 * Rejects an operation with more than `max` aliased fields: aliases are how one request asks for the
 * same expensive field many times over (OWASP's batching attack), and each would be its own upstream
 * call. Counted as executed, so a fragment with aliases spread twice counts twice.
 */
export function maxAliasesRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      let aliases = 0;
      walkOperation(context, operation, (field) => {
        if (field.alias) aliases++;
      });
      if (aliases > max) {
        context.reportError(
          new GraphQLError(`Query uses ${aliases} aliases; the limit is ${max}`, {
            nodes: [operation],
            extensions: { limit: { name: 'aliases', max, actual: aliases } },
          }),
        );
      }
    },
  });
}
