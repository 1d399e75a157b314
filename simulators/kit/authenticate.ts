import type { IncomingHttpHeaders } from 'node:http';
import type { Identity } from '../../platform/auth/Identity';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { verifyAuthorization } from '../../platform/auth/verifyAuthorization';
import type { SimResponse } from './createSimulator';

/**
 * DRF-style authentication as the Open edX services do it (edx-drf-extensions JwtAuthentication):
 * the identity, or the 401 response to send.
 */
export async function authenticate(
  headers: IncomingHttpHeaders,
  jwt: JwtOptions,
): Promise<Identity | SimResponse> {
  // `Bearer` is BearerAuthentication there: an opaque OAuth access token checked against the LMS, which
  // a JWT never is. Callers that want JWT authentication must say `JWT` (JWT_AUTH_HEADER_PREFIX).
  if (/^bearer\s/i.test(headers.authorization ?? '')) {
    return { status: 401, body: { detail: 'Invalid token.' } };
  }
  try {
    const identity = await verifyAuthorization(headers.authorization, jwt);
    if (identity) return identity;
    return { status: 401, body: { detail: 'Authentication credentials were not provided.' } };
  } catch {
    return { status: 401, body: { detail: 'Error decoding token.' } };
  }
}

export const isResponse = (value: Identity | SimResponse): value is SimResponse => 'status' in value;
