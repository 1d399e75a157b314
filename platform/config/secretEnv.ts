import { z } from 'zod';
import type { Env } from './parseEnv';

/** The shortest secret production accepts: 32 bytes, as for an HS256 key (RFC 7518 §3.2). */
export const MIN_PRODUCTION_SECRET_BYTES = 32;

export const isProduction = (source: Env): boolean => source.NODE_ENV === 'production';

/**
 * A secret variable. Outside production it may fall back to a development default (the simulators'
 * own values); in production (`NODE_ENV=production`) it must be set and at least 32 bytes long, so a
 * deployment can never run silently on a public development value. Use inside a parseEnv shape, so
 * the error names the variable like any other bad value.
 */
export function secretEnv(source: Env, devDefault?: string) {
  if (!isProduction(source)) {
    const base = z.string().min(1, 'must not be empty');
    return devDefault === undefined ? base : base.default(devDefault);
  }
  return z
    .string({ error: 'must be set in production (NODE_ENV=production)' })
    .refine((v) => Buffer.byteLength(v, 'utf8') >= MIN_PRODUCTION_SECRET_BYTES, {
      message: `must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes in production`,
    });
}
