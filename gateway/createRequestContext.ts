import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { requestCredentials } from '../platform/auth/requestCredentials';
import { verifyAuthorization } from '../platform/auth/verifyAuthorization';
import { codedError } from '../platform/codedError';
import { ErrorCode } from '../platform/ErrorCode';
import { originAllowed } from '../platform/http/corsPolicy';
import { FORWARDED_HEADERS } from '../platform/http/forwardedHeaders';
import { REQUEST_ID_HEADER, requestIdFrom } from '../platform/http/requestIdFrom';
import { setRequestId } from '../platform/tracing/requestSpan';
import { clientAddress } from './clientAddress';
import type { GatewayConfig } from './gatewayConfig';
import type { GatewayContext, RequestNotes } from './GatewayContext';
import { logMutationEnd } from './logMutationEnd';

/**
 * Builds each GraphQL request's context: who calls (verified), its request id, client address and
 * forwarded headers. Each request's notes are kept in `notesOf` by its HTTP request, so the request
 * counter can read what Apollo answered.
 */
export function createRequestContext(
  config: GatewayConfig,
  logger: Logger,
  notesOf: WeakMap<IncomingMessage, RequestNotes>,
): (req: IncomingMessage, res: ServerResponse) => Promise<GatewayContext> {
  return async (req, res) => {
    // The Authorization header, or the LMS's JWT cookies when the request asks for them
    // (USE-JWT-COOKIE: true). Either way the subgraphs get it as `Authorization` and verify it again.
    const credentials = requestCredentials(req.headers, config.browser.cookies);
    // A cookie is sent by the browser whoever made the page: cookie credentials are honoured only for
    // a page the CORS policy names (docs/security.md "Browsers"). No Origin: not a cross-origin fetch.
    if (
      credentials.fromCookies &&
      req.headers.origin !== undefined &&
      !originAllowed(req.headers.origin, config.browser.cors)
    ) {
      throw codedError(
        ErrorCode.FORBIDDEN,
        'Cookie sign-in is not accepted from this origin (CORS_ORIGIN_WHITELIST)',
        {
          http: { status: 403 },
        },
      );
    }
    const value: GatewayContext = {
      // Throws UNAUTHENTICATED for a present-but-bad token: nothing downstream runs.
      identity: await verifyAuthorization(credentials.authorization, config.jwt),
      authorization: credentials.authorization,
      requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]),
      clientAddress: clientAddress(req, config.rateLimit.trustedProxies),
      forwardHeaders: pickForwarded(req.headers),
      replayed: false,
      notes: { operation: null, replayed: false },
    };
    setRequestId(value.requestId);
    notesOf.set(req, value.notes);
    logMutationEnd(res, value, logger);
    return value;
  };
}

function pickForwarded(headers: IncomingMessage['headers']): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers[name];
    const single = Array.isArray(value) ? value[0] : value;
    if (single !== undefined) picked[name] = single;
  }
  return picked;
}
