import { z } from 'zod';
import type { JwtOptions } from '../auth/JwtOptions';
import { env, parseEnv, type Env } from './parseEnv';
import { DEV_JWT_SECRET } from './publishedSecrets';
import { secretEnv } from './secretEnv';

// Defined with the other published values, which production refuses (publishedSecrets.ts).
export { DEV_JWT_SECRET };

/**
 * The LMS's JWT settings, read by every component. JWT_SECRET must be set, and be at least 32 bytes,
 * when NODE_ENV=production; elsewhere it defaults to DEV_JWT_SECRET and anything set must still be
 * 16 characters or more. The issuer and audience have harmless defaults (a token from another issuer
 * is refused, not accepted).
 */
export function parseJwtEnv(source: Env): JwtOptions {
  const parsed = parseEnv(
    {
      JWT_SECRET: z.pipe(
        secretEnv(source, DEV_JWT_SECRET),
        z.string().min(16, 'must be at least 16 characters'),
      ),
      JWT_ISSUER: env.string('http://localhost:18000/oauth2'),
      JWT_AUDIENCE: env.string('lms-key'),
    },
    source,
  );
  return Object.freeze({
    secret: parsed.JWT_SECRET,
    issuer: parsed.JWT_ISSUER,
    audience: parsed.JWT_AUDIENCE,
  });
}
