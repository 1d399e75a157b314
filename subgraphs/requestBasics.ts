import type { IncomingHttpHeaders } from 'node:http';
import type { Identity } from '../platform/auth/Identity';
import type { JwtOptions } from '../platform/auth/JwtOptions';
import { verifyAuthorization } from '../platform/auth/verifyAuthorization';
import { ErrorCode } from '../platform/ErrorCode';
import { codedError } from '../platform/codedError';
import { REQUEST_ID_HEADER, requestIdFrom } from '../platform/http/requestIdFrom';
import { setRequestId } from '../platform/tracing/requestSpan';

export interface RequestBasics {
  identity: Identity | null;
  requestId: string;
}

/**
 * Verifies the JWT again in the subgraph. The shared secret (createSubgraphServer) proves the gateway
 * sent the request, not on whose behalf: the user comes from the token, checked here again rather than
 * trusted, so a leaked secret alone reads nobody's orders. In process (colocated/) the gateway's
 * data source hands over the same headers, and the token is checked here all the same. A browser's
 * JWT cookies arrive here as that same `Authorization` header: the gateway forwards the joined token.
 */
export async function requestBasics(headers: IncomingHttpHeaders, jwt: JwtOptions): Promise<RequestBasics> {
  const requestId = requestIdFrom(headers[REQUEST_ID_HEADER]);
  setRequestId(requestId);
  return { identity: await verifyAuthorization(headers.authorization, jwt), requestId };
}

export function requireIdentity(identity: Identity | null): Identity {
  if (!identity)
    throw codedError(ErrorCode.UNAUTHENTICATED, 'Authentication required', { http: { status: 401 } });
  return identity;
}
