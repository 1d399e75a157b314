import { z } from 'zod';
import type { Env } from './parseEnv';
import { isPublishedSecret, secretWeakness } from './publishedSecrets';

/** The shortest secret production accepts: 32 bytes, as for an HS256 key (RFC 7518 §3.2). */
export const MIN_PRODUCTION_SECRET_BYTES = 32;

export const isProduction = (source: Env): boolean => source.NODE_ENV === 'production';

/**
 * A secret variable. Outside production it may fall back to a development default (the simulators'
 * own values); in production (`NODE_ENV=production`) it must be set, at least 32 bytes long, none of
 * the values this repository publishes (publishedSecrets.ts: development defaults, placeholders,
 * examples in the docs) and not obviously typed by hand (few distinct characters, one short sequence
 * repeated), so a deployment can never run silently on a public or guessable value. Use inside a
 * parseEnv shape, so the error names the variable like any other bad value (never the value itself).
 */
export function secretEnv(source: Env, devDefault?: string) {
  if (!isProduction(source)) {
    const base = z.string().min(1, 'must not be empty');
    return devDefault === undefined ? base : base.default(devDefault);
  }
  return z.string({ error: 'must be set in production (NODE_ENV=production)' }).superRefine((value, ctx) => {
    const problem = isPublishedSecret(value)
      ? 'is a value this repository publishes (a development default or an example), refused in production'
      : Buffer.byteLength(value, 'utf8') < MIN_PRODUCTION_SECRET_BYTES
        ? `must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes in production`
        : secretWeakness(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `${problem}: generate one with \`openssl rand -hex 32\`` });
    }
  });
}
