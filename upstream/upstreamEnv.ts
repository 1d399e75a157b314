import type { Env } from '../platform/config/parseEnv';
import { env, parseEnv } from '../platform/config/parseEnv';
import type { UpstreamOptions } from './UpstreamOptions';

/**
 * Per-upstream tuning from `<PREFIX>_TIMEOUT_MS` and `<PREFIX>_MAX_CONNECTIONS`, e.g.
 * `LEGACY_ECOMMERCE_TIMEOUT_MS`. Defaults:
 * - timeout 2000 ms: the legacy API answers a page in ~100 ms at p99; 2 s leaves room for a slow
 *   moment without letting a hung upstream hold a learner's page for the full 12 s edX clients allow.
 * - 32 connections: enough for the benchmark's 50 clients at a few ms per call, small enough that
 *   one instance cannot flood an upstream that is already struggling.
 */
export function parseUpstreamEnv(
  prefix: string,
  name: string,
  baseUrl: string,
  source: Env,
): UpstreamOptions {
  const parsed = parseEnv(
    {
      [`${prefix}_TIMEOUT_MS`]: env.positiveInt(2000, 120_000),
      [`${prefix}_MAX_CONNECTIONS`]: env.positiveInt(32, 1024),
    },
    source,
  );
  return Object.freeze({
    name,
    baseUrl,
    timeoutMs: parsed[`${prefix}_TIMEOUT_MS`] as number,
    maxConnections: parsed[`${prefix}_MAX_CONNECTIONS`] as number,
  });
}
