import type { UpstreamResponse } from './Upstream';

/**
 * Where stale-if-error keeps the last good answers. Best effort by design: a store that fails must
 * never fail the request it was meant to rescue, so implementations swallow their own errors.
 */
export interface StaleStore {
  set(key: string, response: UpstreamResponse, maxAgeMs: number): Promise<void>;
  get(key: string, maxAgeMs: number): Promise<{ response: UpstreamResponse; ageMs: number } | undefined>;
}
