import { GraphQLError } from 'graphql';
import type { ErrorCode } from './ErrorCode';

export interface CodedErrorExtensions {
  /** Name of the upstream that failed, for upstream errors. */
  upstream?: string;
  /** Whether the same request may succeed if retried later. */
  retryable?: boolean;
  http?: { status: number };
  [key: string]: unknown;
}

/** The one way code in this repo raises a client-visible error: a GraphQLError with a stable code. */
export function codedError(
  code: ErrorCode,
  message: string,
  extensions: CodedErrorExtensions = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}
