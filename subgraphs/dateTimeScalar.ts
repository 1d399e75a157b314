import { GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode } from '../platform/ErrorCode';
import { codedError } from '../platform/codedError';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function parse(value: unknown): string {
  if (typeof value !== 'string' || !ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) {
    throw codedError(
      ErrorCode.BAD_USER_INPUT,
      'DateTime must be an ISO-8601 UTC string like 2024-03-02T10:15:00Z',
    );
  }
  return value;
}

/** ISO-8601 UTC strings in and out; domain values are already normalised strings. */
export const dateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant in time, as an ISO-8601 string in UTC, e.g. `2024-03-02T10:15:00Z`.',
  serialize: (value) => parse(value),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});
