import { z } from 'zod';
import { ConfigError } from '../../../platform/config/ConfigError';
import { env, parseEnv, type Env } from '../../../platform/config/parseEnv';

/** One guarded rate: it halts the rollout when `threshold` is reached over `windowMs` with `minSamples` seen. */
export interface RateRule {
  /** Share 0–1 that halts when reached (errors / reads, or mismatches / compared reads). */
  threshold: number;
  /** How far back the rate looks; counted in GUARD_BUCKETS fixed buckets. */
  windowMs: number;
  /** Below this many samples in the window the rate is not judged: 1 error in 2 reads is not a trend. */
  minSamples: number;
}

export interface GuardrailsConfig {
  /** ORDERS_GUARD_AUTO_HALT: whether crossing a rule halts; an operator's halt applies either way. */
  autoHalt: boolean;
  /** The rolled-out mode's history reads that failed for a reason of the system's, not the caller's. */
  errorRate: Readonly<RateRule>;
  /** Shadow-compared reads that differed, among those compared. */
  mismatchRate: Readonly<RateRule>;
  /** How often an instance reads the shared halt state (REDIS_URL set): the bound on learning a halt. */
  pollMs: number;
  /** The Redis key holding the halt state: one per deployment (the `npm run rollout` command reads it too). */
  redisKey: string;
}

const share = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number from 0 to 1' })
    .gt(0, 'must be a number above 0 and at most 1')
    .max(1, 'must be a number above 0 and at most 1')
    .default(fallback);

/** Redis key characters: printable ASCII without spaces, so the key is one word in redis-cli and logs. */
const KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * The guardrails' settings (docs/configuration.md "Rollout guardrails" says why each default). Parsed
 * whether or not a rollout is configured: a rollout may be started later (a flag), and an operator's
 * halt must reach every instance all the same.
 */
export function parseGuardrailsConfig(source: Env): Readonly<GuardrailsConfig> {
  const parsed = parseEnv(
    {
      ORDERS_GUARD_AUTO_HALT: env.boolean(true),
      ORDERS_GUARD_ERROR_RATE: share(0.05),
      ORDERS_GUARD_ERROR_WINDOW_MS: env.positiveInt(60_000, 3_600_000),
      ORDERS_GUARD_ERROR_MIN_READS: env.positiveInt(50, 1_000_000),
      ORDERS_GUARD_MISMATCH_RATE: share(0.1),
      ORDERS_GUARD_MISMATCH_WINDOW_MS: env.positiveInt(300_000, 3_600_000),
      ORDERS_GUARD_MISMATCH_MIN_COMPARED: env.positiveInt(30, 1_000_000),
      ORDERS_GUARD_POLL_MS: env.positiveInt(1000, 60_000),
      ORDERS_GUARD_REDIS_KEY: env.string('switchyard:orders:rollout-halt'),
    },
    source,
  );
  const problems: string[] = [];
  if (!KEY.test(parsed.ORDERS_GUARD_REDIS_KEY)) {
    problems.push(
      `  ORDERS_GUARD_REDIS_KEY=${JSON.stringify(parsed.ORDERS_GUARD_REDIS_KEY)}: must be 1-128 printable ASCII characters, no spaces`,
    );
  }
  // Bucket width is window / GUARD_BUCKETS; under 1 s buckets a window would be mostly noise.
  for (const name of ['ORDERS_GUARD_ERROR_WINDOW_MS', 'ORDERS_GUARD_MISMATCH_WINDOW_MS'] as const) {
    if (parsed[name] < 1000) problems.push(`  ${name}=${JSON.stringify(source[name])}: must be >= 1000`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return Object.freeze({
    autoHalt: parsed.ORDERS_GUARD_AUTO_HALT,
    errorRate: Object.freeze({
      threshold: parsed.ORDERS_GUARD_ERROR_RATE,
      windowMs: parsed.ORDERS_GUARD_ERROR_WINDOW_MS,
      minSamples: parsed.ORDERS_GUARD_ERROR_MIN_READS,
    }),
    mismatchRate: Object.freeze({
      threshold: parsed.ORDERS_GUARD_MISMATCH_RATE,
      windowMs: parsed.ORDERS_GUARD_MISMATCH_WINDOW_MS,
      minSamples: parsed.ORDERS_GUARD_MISMATCH_MIN_COMPARED,
    }),
    pollMs: parsed.ORDERS_GUARD_POLL_MS,
    redisKey: parsed.ORDERS_GUARD_REDIS_KEY,
  });
}
