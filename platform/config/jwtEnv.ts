import { z } from 'zod';
import type { JwksOptions, JwtOptions } from '../auth/JwtOptions';
import { isKeySet } from '../auth/isKeySet';
import { env, parseEnv, type Env } from './parseEnv';
import { DEV_JWT_SECRET } from './publishedSecrets';
import { ConfigError } from './ConfigError';
import { secretEnv } from './secretEnv';

// Defined with the other published values, which production refuses (publishedSecrets.ts).
export { DEV_JWT_SECRET };

/**
 * The LMS's JWT settings, read by every component (docs/configuration.md "Sign-in"). The keys:
 * - JWT_JWKS_URL (the LMS's `/auth/jwks.json`) or JWT_PUBLIC_SIGNING_JWK_SET (the set inline, as
 *   edx-drf-extensions' setting of that name): RS256/RS512 tokens, what the LMS signs learners with.
 * - JWT_SECRET: the deprecated HS256 tokens, accepted only when it is set. Outside production it
 *   defaults to DEV_JWT_SECRET while no JWK set is configured (so `npm start` and the tests run as
 *   they are); once one is, HS256 is accepted only where JWT_SECRET is set explicitly. In production
 *   it is required unless a JWK set is configured, and must be at least 32 bytes when set.
 * The issuer and audience have harmless defaults (a token from another issuer is refused, not accepted).
 */
export function parseJwtEnv(source: Env): JwtOptions {
  const hasJwks = Boolean(source.JWT_JWKS_URL?.trim() || source.JWT_PUBLIC_SIGNING_JWK_SET?.trim());
  const secret = secretEnv(source, hasJwks ? undefined : DEV_JWT_SECRET);
  const parsed = parseEnv(
    {
      JWT_SECRET: hasJwks
        ? secret.optional()
        : z.pipe(secret, z.string().min(16, 'must be at least 16 characters')),
      JWT_ISSUER: env.string('http://localhost:18000/oauth2'),
      JWT_AUDIENCE: env.string('lms-key'),
      JWT_JWKS_URL: env.url().optional(),
      JWT_PUBLIC_SIGNING_JWK_SET: jwkSetEnv().optional(),
      JWT_JWKS_CACHE_MAX_AGE_SECONDS: env.positiveInt(600, 86_400),
      JWT_JWKS_COOLDOWN_SECONDS: env.positiveInt(30, 3600),
    },
    source,
  );
  if (parsed.JWT_JWKS_URL && parsed.JWT_PUBLIC_SIGNING_JWK_SET) {
    throw new ConfigError(
      'Invalid configuration:\n  JWT_PUBLIC_SIGNING_JWK_SET: set JWT_JWKS_URL or JWT_PUBLIC_SIGNING_JWK_SET, not both',
    );
  }
  const jwks: JwksOptions | undefined = parsed.JWT_PUBLIC_SIGNING_JWK_SET
    ? { keys: parsed.JWT_PUBLIC_SIGNING_JWK_SET }
    : parsed.JWT_JWKS_URL
      ? {
          url: parsed.JWT_JWKS_URL,
          cacheMaxAgeMs: parsed.JWT_JWKS_CACHE_MAX_AGE_SECONDS * 1000,
          cooldownMs: parsed.JWT_JWKS_COOLDOWN_SECONDS * 1000,
        }
      : undefined;
  return Object.freeze({
    ...(parsed.JWT_SECRET !== undefined ? { secret: parsed.JWT_SECRET } : {}),
    issuer: parsed.JWT_ISSUER,
    audience: parsed.JWT_AUDIENCE,
    ...(jwks ? { jwks } : {}),
  });
}

/** A JSON Web Key Set as JSON text, e.g. `{"keys": [{"kty": "RSA", "kid": "…", "n": "…", "e": "AQAB"}]}`. */
function jwkSetEnv() {
  return z.string().transform((text, ctx) => {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isKeySet(parsed) && parsed.keys.length > 0) return parsed;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set: {"keys": [ … ]}' });
    return z.NEVER;
  });
}
