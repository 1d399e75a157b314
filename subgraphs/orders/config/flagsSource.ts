import { z } from 'zod';
import { env, parseEnv, type Env } from '../../../platform/config/parseEnv';

/**
 * Where the rollout flags come from (docs/rollout-and-shadow.md):
 * - `env`: the ORDERS_ROLLOUT_* / ORDERS_SHADOW_* variables, as an in-memory provider (the default);
 * - `file`: a flagd flag-definition file read in process and re-read when it changes (ORDERS_FLAGS_FILE);
 * - `flagd`: a flagd daemon, configured by the FLAGD_* variables the flagd provider itself reads.
 */
export type FlagsSource =
  { readonly kind: 'env' } | { readonly kind: 'file'; readonly path: string } | { readonly kind: 'flagd' };

export const FLAGS_PROVIDERS = ['env', 'file', 'flagd'] as const;

/**
 * How long one history read waits for its flags before taking their last good values. In process the
 * six take well under a millisecond; a healthy daemon over RPC a few. 100 ms keeps a read from ever
 * hanging on a lost daemon while a busy event loop rarely reaches it (and then serves the same values).
 */
export const DEFAULT_FLAGS_TIMEOUT_MS = 100;

const shape = {
  ORDERS_FLAGS_PROVIDER: z
    .enum(FLAGS_PROVIDERS, { error: `must be one of: ${FLAGS_PROVIDERS.join(', ')}` })
    .optional(),
  // A path, not a URL: the file is mounted (ConfigMap) next to the process. 4096 = PATH_MAX on Linux.
  ORDERS_FLAGS_FILE: z.string().max(4096, 'must be a path of at most 4096 characters').optional(),
  ORDERS_FLAGS_TIMEOUT_MS: env.positiveInt(DEFAULT_FLAGS_TIMEOUT_MS, 10_000),
};

/**
 * ORDERS_FLAGS_PROVIDER defaults to `file` when ORDERS_FLAGS_FILE is set, else `env`. Returns the
 * problems as lines (the caller reports them with the rest of the layers' configuration).
 */
export function parseFlagsSource(source: Env): {
  flags: FlagsSource;
  timeoutMs: number;
  problems: string[];
} {
  const parsed = parseEnv(shape, source);
  const file = parsed.ORDERS_FLAGS_FILE;
  const kind = parsed.ORDERS_FLAGS_PROVIDER ?? (file === undefined ? 'env' : 'file');
  const problems: string[] = [];
  const shown = (name: keyof typeof shape) => `${name}=${JSON.stringify(source[name]?.trim() ?? '')}`;
  if (kind === 'file' && file === undefined) {
    problems.push(
      `  ${shown('ORDERS_FLAGS_FILE')}: required when ORDERS_FLAGS_PROVIDER=file (a flagd flag file)`,
    );
  }
  if (kind !== 'file' && file !== undefined) {
    problems.push(
      `  ${shown('ORDERS_FLAGS_FILE')}: only read when ORDERS_FLAGS_PROVIDER=file (it is ${kind}); ` +
        'unset one of the two',
    );
  }
  const flags: FlagsSource =
    kind === 'file' ? { kind, path: file ?? '' } : kind === 'flagd' ? { kind } : { kind: 'env' };
  return { flags, timeoutMs: parsed.ORDERS_FLAGS_TIMEOUT_MS, problems };
}
