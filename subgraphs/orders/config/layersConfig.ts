import { z } from 'zod';
import { ConfigError } from '../../../platform/config/ConfigError';
import { parseEnv, type Env } from '../../../platform/config/parseEnv';
import { parseFlagsSource, type FlagsSource } from './flagsSource';
import { ORDERS_MODES, type OrdersMode } from './ordersMode';

export interface RolloutConfig {
  /** `ORDERS_ROLLOUT_BACKEND`: the mode a share of users is moved to. */
  mode: OrdersMode;
  /** `ORDERS_ROLLOUT_PERCENT` × 100, i.e. basis points 0–10000, so 0.25 % is exact. */
  basisPoints: number;
}

export interface ShadowConfig {
  /** `ORDERS_SHADOW_BACKEND`: the mode read in the background and compared with what was served. */
  mode: OrdersMode;
  /** Share of history reads compared, 0–1. @default 0.05 */
  sampleRate: number;
  /** Deadline of one shadow read, after which it is abandoned and counted as a timeout. @default 3000 */
  timeoutMs: number;
  /** Shadow reads in flight at most; beyond that a sampled read is dropped (and counted). @default 8 */
  maxConcurrent: number;
}

export interface LayersConfig {
  /** Env only (`flags.kind === 'env'`): the fixed rollout the ORDERS_ROLLOUT_* variables describe. */
  rollout: Readonly<RolloutConfig> | null;
  /** Env only: the fixed shadow the ORDERS_SHADOW_* variables describe. */
  shadow: Readonly<ShadowConfig> | null;
  /** Where the rollout flags come from: these variables (env), a flag file, or a flagd daemon. */
  flags: FlagsSource;
  /** ORDERS_FLAGS_TIMEOUT_MS: the most one history read waits for its flags. @default 100 */
  flagsTimeoutMs: number;
  /** The shadow read's deadline and cap, whatever decides the shadow's mode (env or flags). */
  shadowLimits: Readonly<Pick<ShadowConfig, 'timeoutMs' | 'maxConcurrent'>>;
}

// No defaults in the schema: whether a variable was set at all is what the rules below check.
const whole = (max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .positive('must be > 0')
    .max(max, `must be <= ${max}`)
    .optional();

const mode = z.enum(ORDERS_MODES, { error: `must be one of: ${ORDERS_MODES.join(', ')}` }).optional();

const shape = {
  ORDERS_ROLLOUT_BACKEND: mode,
  ORDERS_ROLLOUT_PERCENT: z.coerce
    .number({ error: 'must be a number from 0 to 100' })
    .min(0, 'must be a number from 0 to 100')
    .max(100, 'must be a number from 0 to 100')
    // Buckets are basis points: a finer share would silently round.
    .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, 'must have at most 2 decimals')
    .optional(),
  ORDERS_SHADOW_BACKEND: mode,
  ORDERS_SHADOW_SAMPLE_RATE: z.coerce
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, 'must be a number from 0 to 1')
    .max(1, 'must be a number from 0 to 1')
    .optional(),
  ORDERS_SHADOW_TIMEOUT_MS: whole(60_000),
  ORDERS_SHADOW_MAX_CONCURRENT: whole(1000),
};

// With a flag file or daemon these are flags: both would describe the same decision, and which one
// wins would be a surprise, so start-up refuses the pair.
const DESCRIBED_BY_FLAGS = [
  'ORDERS_ROLLOUT_BACKEND',
  'ORDERS_ROLLOUT_PERCENT',
  'ORDERS_SHADOW_BACKEND',
  'ORDERS_SHADOW_SAMPLE_RATE',
] as const;

const SHADOW_TUNING = [
  'ORDERS_SHADOW_SAMPLE_RATE',
  'ORDERS_SHADOW_TIMEOUT_MS',
  'ORDERS_SHADOW_MAX_CONCURRENT',
] as const;

/**
 * The rollout and shadow layers' settings (docs/rollout-and-shadow.md). Each layer is off unless its
 * BACKEND is set; a tuning variable without it, or a layer pointing at the mode already served to
 * everyone, is a deployment mistake and stops start-up rather than doing nothing quietly.
 */
export function parseLayersConfig(source: Env, baseMode: OrdersMode): LayersConfig {
  const parsed = parseEnv(shape, source);
  const problems: string[] = [];
  const problem = (name: keyof typeof shape, message: string) =>
    problems.push(`  ${name}=${JSON.stringify(source[name]?.trim() ?? '')}: ${message}`);
  const modes = ORDERS_MODES.join(', ');
  const { flags, timeoutMs: flagsTimeoutMs, problems: flagProblems } = parseFlagsSource(source);
  problems.push(...flagProblems);
  if (flags.kind !== 'env') {
    const setting = flags.kind === 'file' ? 'ORDERS_FLAGS_FILE' : 'ORDERS_FLAGS_PROVIDER=flagd';
    for (const name of DESCRIBED_BY_FLAGS) {
      if (parsed[name] !== undefined) {
        problem(name, `cannot be set with ${setting}: the flags decide it (docs/rollout-and-shadow.md)`);
      }
    }
  }

  const rolloutMode = parsed.ORDERS_ROLLOUT_BACKEND;
  if (rolloutMode === undefined && parsed.ORDERS_ROLLOUT_PERCENT !== undefined) {
    problem('ORDERS_ROLLOUT_PERCENT', `needs ORDERS_ROLLOUT_BACKEND (one of: ${modes})`);
  }
  if (rolloutMode !== undefined && parsed.ORDERS_ROLLOUT_PERCENT === undefined) {
    problem('ORDERS_ROLLOUT_PERCENT', 'required when ORDERS_ROLLOUT_BACKEND is set: a number from 0 to 100');
  }
  if (rolloutMode === baseMode) {
    problem('ORDERS_ROLLOUT_BACKEND', `must differ from ORDERS_BACKEND (${baseMode}); allowed: ${modes}`);
  }
  const shadowMode = parsed.ORDERS_SHADOW_BACKEND;
  if (shadowMode === undefined && flags.kind === 'env') {
    for (const name of SHADOW_TUNING) {
      if (parsed[name] !== undefined) problem(name, `needs ORDERS_SHADOW_BACKEND (one of: ${modes})`);
    }
  } else if (shadowMode !== undefined && shadowMode === baseMode) {
    // Everyone outside a rollout would be compared with the very mode that served them.
    problem('ORDERS_SHADOW_BACKEND', `must differ from ORDERS_BACKEND (${baseMode}); allowed: ${modes}`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);

  const shadowLimits = Object.freeze({
    timeoutMs: parsed.ORDERS_SHADOW_TIMEOUT_MS ?? 3000,
    maxConcurrent: parsed.ORDERS_SHADOW_MAX_CONCURRENT ?? 8,
  });
  return {
    flags,
    flagsTimeoutMs,
    shadowLimits,
    rollout:
      rolloutMode === undefined
        ? null
        : Object.freeze({
            mode: rolloutMode,
            basisPoints: Math.round((parsed.ORDERS_ROLLOUT_PERCENT ?? 0) * 100),
          }),
    shadow:
      shadowMode === undefined
        ? null
        : Object.freeze({
            mode: shadowMode,
            sampleRate: parsed.ORDERS_SHADOW_SAMPLE_RATE ?? 0.05,
            ...shadowLimits,
          }),
  };
}
