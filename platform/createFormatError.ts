import type { GraphQLFormattedError } from 'graphql';
import {
  ApolloServerErrorCode,
  ApolloServerValidationErrorCode,
  unwrapResolverError,
} from '@apollo/server/errors';
import type { Logger } from 'pino';
import { isUpstreamError } from '../upstream/UpstreamError';
import { ErrorCode, isKnownErrorCode } from './ErrorCode';

const PASS_THROUGH = new Set<string>([
  ...Object.values(ApolloServerErrorCode),
  ...Object.values(ApolloServerValidationErrorCode),
]);

/**
 * Apollo `formatError` for every server in Switchyard: upstream failures become their coded error,
 * coded errors pass (without stack traces), and anything else is masked as INTERNAL_SERVER_ERROR —
 * logged with its details here, never sent to the client.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isUpstreamError(original)) {
      logger.warn(
        { upstream: original.upstream, code: original.code, detail: original.detail, path: formatted.path },
        original.message,
      );
      return {
        ...pick(formatted),
        extensions: { code: original.code, upstream: original.upstream, retryable: original.retryable },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && (isKnownErrorCode(code) || PASS_THROUGH.has(code))) {
      const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
      return { ...pick(formatted), extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error masked');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

function pick(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
}
