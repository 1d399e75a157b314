import { z } from 'zod';
import { env, parseEnv, type Env } from '../platform/config/parseEnv';

/** Operations per window: all of them, and mutations (which count in both). */
export interface RateLimits {
  readonly operations: number;
  readonly mutations: number;
}

export interface RateLimitConfig {
  readonly enabled: boolean;
  readonly windowMs: number;
  /** Starts every Redis key, so deployments sharing one Redis keep their counts apart. */
  readonly keyPrefix: string;
  /** Proxies in front of the gateway that append to X-Forwarded-For; 0: the socket's peer is the client. */
  readonly trustedProxies: number;
  readonly learner: RateLimits;
  readonly staff: RateLimits;
  readonly service: RateLimits;
  /** Per client address, for requests without a token (introspection only; the rest get 401). */
  readonly anonymous: number;
  readonly serviceUsers: ReadonlySet<string>;
}

const usernames = z
  .string()
  .regex(/^[^\s,]+(,[^\s,]+)*$/, 'must be usernames separated by commas')
  .optional();

/**
 * The per-user rate limits of the gateway (docs/configuration.md "Rate limits"). The defaults keep
 * one learner inside the legacy API's own throttle of 75 requests a minute: a page costs one legacy
 * call, so 60 operations a minute leave room for the few calls a refund makes.
 */
export function parseRateLimitConfig(source: Env): RateLimitConfig {
  const parsed = parseEnv(
    {
      RATE_LIMIT_ENABLED: env.boolean(true),
      RATE_LIMIT_WINDOW_MS: env.positiveInt(60_000, 3_600_000),
      RATE_LIMIT_OPERATIONS: env.positiveInt(60),
      RATE_LIMIT_MUTATIONS: env.positiveInt(10),
      RATE_LIMIT_STAFF_OPERATIONS: env.positiveInt(60),
      RATE_LIMIT_STAFF_MUTATIONS: env.positiveInt(10),
      RATE_LIMIT_SERVICE_USERS: usernames,
      RATE_LIMIT_SERVICE_OPERATIONS: env.positiveInt(600),
      RATE_LIMIT_SERVICE_MUTATIONS: env.positiveInt(60),
      RATE_LIMIT_ANONYMOUS_OPERATIONS: env.positiveInt(60),
      RATE_LIMIT_KEY_PREFIX: env.string('switchyard'),
      RATE_LIMIT_TRUSTED_PROXIES: env.nonNegativeInt(0, 10),
    },
    source,
  );
  return Object.freeze({
    enabled: parsed.RATE_LIMIT_ENABLED,
    windowMs: parsed.RATE_LIMIT_WINDOW_MS,
    keyPrefix: parsed.RATE_LIMIT_KEY_PREFIX,
    trustedProxies: parsed.RATE_LIMIT_TRUSTED_PROXIES,
    learner: { operations: parsed.RATE_LIMIT_OPERATIONS, mutations: parsed.RATE_LIMIT_MUTATIONS },
    staff: { operations: parsed.RATE_LIMIT_STAFF_OPERATIONS, mutations: parsed.RATE_LIMIT_STAFF_MUTATIONS },
    service: {
      operations: parsed.RATE_LIMIT_SERVICE_OPERATIONS,
      mutations: parsed.RATE_LIMIT_SERVICE_MUTATIONS,
    },
    anonymous: parsed.RATE_LIMIT_ANONYMOUS_OPERATIONS,
    serviceUsers: new Set(parsed.RATE_LIMIT_SERVICE_USERS?.split(',') ?? []),
  });
}
