import jwt from 'jsonwebtoken';
import { ErrorCode } from '../ErrorCode';
import { codedError } from '../codedError';
import type { Identity } from './Identity';
import type { JwtOptions } from './JwtOptions';

// Open edX sends `JWT <token>`; OAuth-style clients send `Bearer <token>`. Both carry the same JWT.
const SCHEME = /^(?:JWT|Bearer)\s+(\S+)$/i;

/**
 * Verifies an `Authorization` header value. Returns null when there is no header at all, so callers can
 * decide whether the operation needs a user; throws UNAUTHENTICATED for anything present but invalid.
 */
export function verifyAuthorization(header: string | undefined, options: JwtOptions): Identity | null {
  if (header === undefined || header.trim() === '') return null;
  const match = SCHEME.exec(header.trim());
  if (!match?.[1]) {
    throw unauthenticated('Authorization header must be "JWT <token>" or "Bearer <token>"');
  }
  const token = match[1];
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, options.secret, {
      algorithms: ['HS256'],
      issuer: options.issuer,
      audience: options.audience,
    });
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token';
    throw unauthenticated(`Authentication failed: ${reason}`);
  }
  if (
    typeof claims === 'string' ||
    typeof claims.preferred_username !== 'string' ||
    !claims.preferred_username
  ) {
    throw unauthenticated('Authentication failed: token has no preferred_username');
  }
  return { username: claims.preferred_username, isStaff: claims.administrator === true, token };
}

function unauthenticated(message: string) {
  return codedError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
}
