import type { UpstreamOptions } from '../../../../upstream/UpstreamOptions';

/**
 * Shadow reads get upstream clients of their own, never the primary's: their own pool, bulkhead and
 * breaker, so a hanging or failing shadow backend can neither fill the bulkhead nor open the breaker
 * that learners' requests go through. Named `<name>-shadow` in metrics and `/status`. Never served
 * stale: a stale answer says nothing about the backend, and would report a degraded notice into the
 * request the shadow read was sampled from.
 */
export function shadowUpstreamOptions(options: UpstreamOptions): UpstreamOptions {
  return Object.freeze({
    ...options,
    name: `${options.name}-shadow`,
    staleIfError: Object.freeze({ ...options.staleIfError, maxAgeMs: 0 }),
  });
}
