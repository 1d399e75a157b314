import jwt from 'jsonwebtoken';
import type { JwtOptions } from './JwtOptions';

export interface SignTokenOptions {
  staff?: boolean;
  /** Lifetime in seconds. @default 3600 */
  expiresInSeconds?: number;
}

/** Mints an Open edX style JWT (the shape the LMS issues) for demos, tests and `npm run token`. */
export function signToken(username: string, jwtOptions: JwtOptions, options: SignTokenOptions = {}): string {
  return jwt.sign(
    {
      preferred_username: username,
      administrator: options.staff === true,
      scopes: ['user_id', 'email', 'profile'],
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
