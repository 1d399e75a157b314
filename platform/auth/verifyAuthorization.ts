import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ErrorCode } from '../ErrorCode';
import { codedError } from '../codedError';
import type { Identity } from './Identity';
import type { JwtOptions } from './JwtOptions';

/**
 * Verifies an `Authorization` header value. Returns null when there is no header at all, so callers can
 * decide whether the operation needs a user; throws UNAUTHENTICATED for anything present but invalid.
 */
export function verifyAuthorization(header: string | undefined, options: JwtOptions): Identity | null {
  if (header === undefined || header.trim() === '') return null;
  // Open edX sends `JWT <token>`; OAuth-style clients send `Bearer <token>`. Both carry the same JWT.
  // A literal here rather than a module constant: evaluated per call (V8 compiles it once), so
  // mutation testing can switch it per test instead of only at module load.
  const match = /^(?:JWT|Bearer)\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) {
    throw unauthenticated('Authorization header must be "JWT <token>" or "Bearer <token>"');
  }
  const token = match[1];
  let claims: jwt.JwtPayload | string;
  try {
    claims = jwt.verify(token, secretKey(options.secret), {
      algorithms: ['HS256'],
      issuer: options.issuer,
      audience: options.audience,
    });
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token';
    throw unauthenticated(`Authentication failed: ${reason}`);
  }
  if (typeof claims === 'string') throw unauthenticated('Authentication failed: invalid token');
  // jsonwebtoken checks `exp` only when present; a token without one would never expire. Like
  // edx-drf-extensions (its JWT decode requires "exp" and "iat"), both must be there.
  if (typeof claims.exp !== 'number') throw unauthenticated('Authentication failed: token has no exp');
  if (typeof claims.iat !== 'number') throw unauthenticated('Authentication failed: token has no iat');
  if (typeof claims.preferred_username !== 'string' || !claims.preferred_username) {
    throw unauthenticated('Authentication failed: token has no preferred_username');
  }
  const userId = claims.user_id;
  return {
    username: claims.preferred_username,
    isStaff: claims.administrator === true,
    // The LMS puts the numeric user id in `user_id`; anything else there is ignored, not trusted.
    ...(Number.isSafeInteger(userId) && (userId as number) > 0 ? { userId: userId as number } : {}),
    token,
  };
}

let cachedKey: { secret: string; key: KeyObject } | undefined;

/**
 * The secret as a KeyObject, made once per secret. Given a string, jsonwebtoken 9 first tries it as a
 * PEM public key on every verify, and that failed parse (and the exception it throws) was the largest
 * single cost of a request in each of gateway, orders and catalog (bench/PROFILE.md).
 */
function secretKey(secret: string): KeyObject {
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return cachedKey.key;
}

function unauthenticated(message: string) {
  return codedError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
}
