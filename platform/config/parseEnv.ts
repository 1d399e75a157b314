import { z } from 'zod';
import { ConfigError } from './ConfigError';
import { parseRedisTarget } from '../redis/redisTarget';

const SECRET_NAME = /SECRET|PASSWORD|TOKEN|CREDENTIAL|_KEY$/;

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates environment variables against a zod object whose keys are the variable names. Every
 * problem is reported at once, each line naming the variable and the bad value, so an operator fixes
 * a deployment in one go. The result is frozen: configuration is parsed once, at start-up.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, env: Env): Readonly<z.infer<z.ZodObject<S>>> {
  const picked: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const raw = env[name];
    // An empty variable means "unset": shells and compose files often export NAME= to clear a value.
    picked[name] = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  }
  const result = z.object(shape).safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      // A secret's value never reaches a log line, even a wrong one: it may be the real one mistyped.
      // So does a password inside a URL (REDIS_URL=redis://:password@host).
      const shown =
        SECRET_NAME.test(name) && picked[name] !== undefined
          ? '<redacted>'
          : (picked[name] ?? '').replace(/(:\/\/)[^/@]*@/, '$1<redacted>@');
      return `  ${name}=${JSON.stringify(shown)}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

/** Reusable field parsers; each message says what is allowed. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number()
      .int()
      .min(0, 'must be a port 0-65535')
      .max(65535, 'must be a port 0-65535')
      .default(fallback),
  positiveInt: (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce
      .number()
      .int('must be a whole number')
      .positive('must be > 0')
      .max(max, `must be <= ${max}`)
      .default(fallback),
  nonNegativeInt: (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce
      .number()
      .int('must be a whole number')
      .min(0, 'must be >= 0')
      .max(max, `must be <= ${max}`)
      .default(fallback),
  url: () => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  // One server, Sentinels or a Cluster (platform/redis/redisTarget.ts says how each is written).
  redisUrl: () =>
    z.string().superRefine((value, ctx) => {
      try {
        parseRedisTarget(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  string: (fallback: string) => z.string().min(1).default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be a pino level' })
      .default('info'),
  regex: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .refine(
        (v) => {
          try {
            new RegExp(v);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be a valid regular expression' },
      ),
};
