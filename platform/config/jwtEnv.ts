import { z } from 'zod';
import type { JwtOptions } from '../auth/JwtOptions';
import { env, parseEnv, type Env } from './parseEnv';

// The defaults only make sense on the simulators; production sets all three (see README).
export const DEV_JWT_SECRET = 'switchyard-dev-secret-change-me';

const shape = {
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').default(DEV_JWT_SECRET),
  JWT_ISSUER: env.string('http://localhost:18000/oauth2'),
  JWT_AUDIENCE: env.string('lms-key'),
};

export function parseJwtEnv(source: Env): JwtOptions {
  const parsed = parseEnv(shape, source);
  return Object.freeze({
    secret: parsed.JWT_SECRET,
    issuer: parsed.JWT_ISSUER,
    audience: parsed.JWT_AUDIENCE,
  });
}
