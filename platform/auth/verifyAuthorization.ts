import type { Identity } from './Identity';
import type { JwtOptions } from './JwtOptions';
import { unauthenticated } from './createTokenVerifier';
import { verifyToken } from './verifyToken';

/**
 * Verifies an `Authorization` header value. Resolves null when there is no header at all, so callers
 * can decide whether the operation needs a user; rejects with UNAUTHENTICATED for anything present but
 * invalid. A browser's JWT cookies reach here as that header too (platform/auth/requestCredentials.ts).
 */
export async function verifyAuthorization(
  header: string | undefined,
  options: JwtOptions,
): Promise<Identity | null> {
  if (header === undefined || header.trim() === '') return null;
  // Open edX sends `JWT <token>`; OAuth-style clients send `Bearer <token>`. Both carry the same JWT.
  // A literal here rather than a module constant: evaluated per call (V8 compiles it once), so
  // mutation testing can switch it per test instead of only at module load.
  const match = /^(?:JWT|Bearer)\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) {
    throw unauthenticated('Authorization header must be "JWT <token>" or "Bearer <token>"');
  }
  return verifyToken(match[1], options);
}
