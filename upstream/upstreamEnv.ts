import type { Env } from '../platform/config/parseEnv';
import { env, parseEnv } from '../platform/config/parseEnv';
import type { UpstreamOptions } from './UpstreamOptions';

/**
 * Per-upstream tuning from `<PREFIX>_*` variables (e.g. `LEGACY_ECOMMERCE_TIMEOUT_MS`). The defaults and
 * why (targets in docs/reference/resilience.md §8):
 * - TIMEOUT_MS 2000: the legacy API answers a page in ~100 ms at p99; 2 s allows a slow moment without
 *   letting a hung upstream hold a learner's page for the 12 s edX service clients allow.
 * - REQUEST_TIMEOUT_MS 5000: two retries with backoff fit; the gateway's subgraph deadline sits above.
 * - MAX_CONNECTIONS / BULKHEAD_MAX_CONCURRENT 64, BULKHEAD_MAX_QUEUE 64: the benchmark (50 clients on a
 *   2-core box) showed 32 with no queue rejecting a third of healthy traffic, because CPU queueing makes
 *   calls last hundreds of ms. 64 + a bounded queue absorbs that; a hung upstream still fills it and
 *   then fails fast, and a queued call never waits past its request deadline.
 * - BREAKER_VOLUME_THRESHOLD 10: opossum's default 0 opens on the first failure of a quiet minute.
 * - BREAKER_ERROR_PERCENT 50, BREAKER_RESET_MS 10000, BREAKER_WINDOW_MS 10000: Hystrix-like; 10 s
 *   open is short enough to notice recovery quickly and long enough to let a restart finish.
 * - RETRIES 2, RETRY_BASE_MS 50, RETRY_MAX_MS 1000, RETRY_BUDGET_PERCENT 20: Envoy's budget defaults;
 *   at most a fifth extra load on an upstream that is already failing.
 * - STALE_IF_ERROR_MS 0 (off): serving stale data is a product decision per upstream.
 */
export function parseUpstreamEnv(
  prefix: string,
  name: string,
  baseUrl: string,
  source: Env,
): UpstreamOptions {
  const v = (suffix: string) => `${prefix}_${suffix}`;
  const nonNegative = (fallback: number, max: number) => env.nonNegativeInt(fallback, max);
  const p = parseEnv(
    {
      [v('TIMEOUT_MS')]: env.positiveInt(2000, 120_000),
      [v('REQUEST_TIMEOUT_MS')]: env.positiveInt(5000, 300_000),
      [v('MAX_CONNECTIONS')]: env.positiveInt(64, 1024),
      [v('BULKHEAD_MAX_CONCURRENT')]: env.positiveInt(64, 10_000),
      [v('BULKHEAD_MAX_QUEUE')]: nonNegative(64, 10_000),
      [v('BREAKER_ERROR_PERCENT')]: env.positiveInt(50, 100),
      [v('BREAKER_VOLUME_THRESHOLD')]: env.positiveInt(10, 10_000),
      [v('BREAKER_RESET_MS')]: env.positiveInt(10_000, 3_600_000),
      [v('BREAKER_WINDOW_MS')]: env.positiveInt(10_000, 3_600_000),
      [v('RETRIES')]: nonNegative(2, 5),
      [v('RETRY_BASE_MS')]: env.positiveInt(50, 60_000),
      [v('RETRY_MAX_MS')]: env.positiveInt(1000, 60_000),
      [v('RETRY_BUDGET_PERCENT')]: nonNegative(20, 100),
      [v('STALE_IF_ERROR_MS')]: nonNegative(0, 7 * 24 * 3_600_000),
      [v('STALE_MAX_ENTRIES')]: env.positiveInt(1000, 1_000_000),
    },
    source,
  ) as Record<string, number>;
  const n = (suffix: string) => p[v(suffix)] as number;
  return Object.freeze({
    name,
    baseUrl,
    timeoutMs: n('TIMEOUT_MS'),
    requestTimeoutMs: Math.max(n('REQUEST_TIMEOUT_MS'), n('TIMEOUT_MS')),
    maxConnections: n('MAX_CONNECTIONS'),
    breaker: Object.freeze({
      errorThresholdPercentage: n('BREAKER_ERROR_PERCENT'),
      volumeThreshold: n('BREAKER_VOLUME_THRESHOLD'),
      resetTimeoutMs: n('BREAKER_RESET_MS'),
      rollingWindowMs: n('BREAKER_WINDOW_MS'),
    }),
    bulkhead: Object.freeze({
      maxConcurrent: n('BULKHEAD_MAX_CONCURRENT'),
      maxQueue: n('BULKHEAD_MAX_QUEUE'),
    }),
    retry: Object.freeze({
      maxRetries: n('RETRIES'),
      baseDelayMs: n('RETRY_BASE_MS'),
      maxDelayMs: n('RETRY_MAX_MS'),
      budgetPercent: n('RETRY_BUDGET_PERCENT'),
      budgetMinConcurrent: 3,
    }),
    staleIfError: Object.freeze({ maxAgeMs: n('STALE_IF_ERROR_MS'), maxEntries: n('STALE_MAX_ENTRIES') }),
  });
}
