import { env, parseEnv, type Env } from '../../platform/config/parseEnv';

/**
 * What one APQ registration may cost the shared Redis, and how many one caller may make: the bound
 * docs/security.md ("Cost of one request") computes. Anonymous callers never register.
 */
export interface ApqConfig {
  /** How long a registration lives (seconds): a client whose hash expired resends its query once. */
  readonly ttlSeconds: number;
  /** The most bytes (UTF-8) of query text a registration may store: comments and whitespace count. */
  readonly maxBytes: number;
  /** Registrations per authenticated user in any hour (a sliding window), shared by every instance. */
  readonly registrationsPerHour: number;
}

export function parseApqConfig(source: Env): ApqConfig {
  const parsed = parseEnv(
    {
      // An hour: a steady client re-registers each operation once an hour, and what a caller left
      // behind is gone an hour later, so "per hour" is also the most one caller holds at once.
      APQ_TTL_SECONDS: env.positiveInt(3600, 7 * 24 * 3600),
      // The MFE's order-history page is 1.7 KB with its comments; 8 KiB leaves room for larger ones.
      APQ_MAX_BYTES: env.positiveInt(8192, 1024 * 1024),
      // An MFE has a handful of operations, each registered once per TTL by whichever client misses first.
      APQ_REGISTRATIONS_PER_HOUR: env.positiveInt(20, 10_000),
    },
    source,
  );
  return Object.freeze({
    ttlSeconds: parsed.APQ_TTL_SECONDS,
    maxBytes: parsed.APQ_MAX_BYTES,
    registrationsPerHour: parsed.APQ_REGISTRATIONS_PER_HOUR,
  });
}
