import type { GraphQLFormattedError } from 'graphql';
import {
  ApolloServerErrorCode,
  ApolloServerValidationErrorCode,
  unwrapResolverError,
} from '@apollo/server/errors';
import type { Logger } from 'pino';
import { isCodedFailure } from './CodedFailure';
import { ErrorCode, isKnownErrorCode } from './ErrorCode';
import { currentRequestId } from './tracing/requestSpan';

/** The one message a client ever sees for an error we did not raise on purpose. */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

const PASS_THROUGH = new Set<string>([
  ...Object.values(ApolloServerErrorCode),
  ...Object.values(ApolloServerValidationErrorCode),
]);

// Apollo Server refuses an APQ registration whose hash is not the query's with this text, a 400 and no
// code (@apollo/server requestPipeline.ts); Apollo's other gateways call it PERSISTED_QUERY_HASH_MISMATCH.
const APQ_HASH_MISMATCH_MESSAGE = 'provided sha does not match query';

/**
 * Apollo `formatError` for every server in Switchyard. What passes to the client is decided by who
 * raised the error, never by the code Apollo fills in (it gives every uncoded error
 * INTERNAL_SERVER_ERROR, message included):
 * - a coded failure (CodedFailure: an upstream's, say) becomes its coded error, logged once here;
 * - an error raised with a known code (codedError, Apollo's request errors, a subgraph's coded
 *   answer at the gateway) passes, without stack traces;
 * - Apollo's own uncoded refusals of a request (a 4xx, no path) get a code: APQ hash mismatch, or
 *   BAD_REQUEST;
 * - anything else — a plain Error, a library's TypeError, a code we do not know — answers
 *   INTERNAL_SERVER_ERROR with a fixed message, and is logged here once, with the request id and the
 *   original message and stack. A subgraph's already-masked internal error is not logged again at the
 *   gateway: the subgraph logged it, under the same request id.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isCodedFailure(original)) {
      const level = original.logQuietly === true ? 'debug' : 'warn';
      if (logger.isLevelEnabled(level)) {
        logger[level](
          { requestId: currentRequestId(), ...original.logFields, path: formatted.path },
          original.message,
        );
      }
      return { ...pick(formatted), extensions: { code: original.code, ...original.clientExtensions } };
    }
    const raised = extensionsOf(error);
    const code = raised?.code;
    if (code === undefined && formatted.path === undefined) {
      const status = httpStatusOf(raised);
      if (status !== undefined && status >= 400 && status < 500) {
        const mismatch = formatted.message === APQ_HASH_MISMATCH_MESSAGE;
        return {
          message: formatted.message,
          extensions: {
            code: mismatch ? ErrorCode.PERSISTED_QUERY_HASH_MISMATCH : ApolloServerErrorCode.BAD_REQUEST,
          },
        };
      }
    }
    if (code !== ErrorCode.INTERNAL_SERVER_ERROR && typeof code === 'string') {
      if (isKnownErrorCode(code) || PASS_THROUGH.has(code)) {
        const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
        return { ...pick(formatted), extensions };
      }
    }
    const alreadyMasked =
      code === ErrorCode.INTERNAL_SERVER_ERROR && formatted.message === INTERNAL_ERROR_MESSAGE;
    if (!alreadyMasked) {
      logger.error(
        {
          requestId: currentRequestId(),
          err: original instanceof Error ? original : error,
          path: formatted.path,
          ...(typeof code === 'string' ? { code } : {}),
        },
        'unexpected error masked',
      );
    }
    const serviceName = raised?.serviceName;
    return {
      message: INTERNAL_ERROR_MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        // At the gateway: which subgraph it came from (hive's serviceName), never what it said.
        ...(typeof serviceName === 'string' ? { serviceName } : {}),
      },
    };
  };
}

/** The extensions the error was raised with (a resolver error's are its original's), not Apollo's. */
function extensionsOf(error: unknown): Record<string, unknown> | undefined {
  if (typeof error !== 'object' || error === null || !('extensions' in error)) return undefined;
  const { extensions } = error;
  return typeof extensions === 'object' && extensions !== null
    ? (extensions as Record<string, unknown>)
    : undefined;
}

function httpStatusOf(extensions: Record<string, unknown> | undefined): number | undefined {
  const http = extensions?.http;
  if (typeof http !== 'object' || http === null || !('status' in http)) return undefined;
  return typeof http.status === 'number' ? http.status : undefined;
}

function pick(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
}
