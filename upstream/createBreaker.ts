import CircuitBreaker from 'opossum';
import { isUpstreamError } from './UpstreamError';
import type { BreakerOptions } from './UpstreamOptions';

/**
 * One opossum breaker per upstream, created at start-up, set up around opossum's sharp edges
 * (docs/reference/resilience.md §1): no opossum timeout (the kit's AbortSignal owns deadlines and really aborts), no
 * shared AbortController, latency percentiles off (they sort every sample on each failure), and a
 * volume threshold above 0. `errorFilter` returning true makes opossum count the call as a success:
 * only a caller who went away is filtered, since that says nothing about the upstream.
 * 4xx answers never reach the breaker as errors (the kit resolves them), so they cannot trip it; a 429
 * included: it is one caller's throttle (the legacy API limits each user token), raised as
 * UPSTREAM_RATE_LIMITED only after the breaker has counted the answer. Like a 404 it counts as a
 * success, and as a half-open trial it closes the breaker: a throttle is decided by the running
 * application after authenticating the caller, so the upstream that sent it is up.
 */
export function createBreaker<A extends unknown[], R>(
  name: string,
  action: (...args: A) => Promise<R>,
  options: BreakerOptions,
) {
  return new CircuitBreaker<A, R>(action, {
    name,
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    rollingCountTimeout: options.rollingWindowMs,
    rollingCountBuckets: 10,
    rollingPercentilesEnabled: false,
    errorFilter: (error: unknown) => isUpstreamError(error) && error.detail.callerAborted === true,
  });
}
