import jwt from 'jsonwebtoken';
import type { JwtOptions } from './JwtOptions';

export interface SignTokenOptions {
  staff?: boolean;
  /** Lifetime in seconds. @default 3600 */
  expiresInSeconds?: number;
  /** The LMS user id, sent as the `user_id` claim as the LMS does. @default none (no claim) */
  userId?: number;
}

/**
 * Mints an Open edX style JWT (the shape the LMS issues) for demos, tests and `npm run token`. It
 * always carries `exp` (expiresIn) and `iat` (jsonwebtoken adds it unless told `noTimestamp`, which is
 * never done here): verifyAuthorization refuses a token without either.
 */
export function signToken(username: string, jwtOptions: JwtOptions, options: SignTokenOptions = {}): string {
  if (jwtOptions.secret === undefined) {
    throw new Error('signToken signs HS256 with JWT_SECRET, and none is configured');
  }
  return jwt.sign(
    {
      preferred_username: username,
      administrator: options.staff === true,
      scopes: ['user_id', 'email', 'profile'],
      ...(options.userId !== undefined ? { user_id: options.userId } : {}),
    },
    jwtOptions.secret,
    {
      algorithm: 'HS256',
      issuer: jwtOptions.issuer,
      audience: jwtOptions.audience,
      subject: username,
      expiresIn: options.expiresInSeconds ?? 3600,
    },
  );
}
