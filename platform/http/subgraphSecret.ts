import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * How the gateway proves itself to a subgraph: this header, carrying SUBGRAPH_SHARED_SECRET, on every
 * gateway → subgraph call. A subgraph answers anything else with 401 before reading the body, so a
 * caller that reaches a subgraph port directly gets nothing the gateway would have refused.
 */
export const SUBGRAPH_SECRET_HEADER = 'x-switchyard-subgraph-secret';

/**
 * The development value (public, like DEV_JWT_SECRET): used only outside production, so `npm start`
 * and the tests run without configuration. Production refuses to start without a real one
 * (platform/config/secretEnv.ts).
 */
export const DEV_SUBGRAPH_SHARED_SECRET = 'switchyard-dev-subgraph-shared-secret-not-for-production';

/** The WWW-Authenticate scheme of a subgraph's 401 (RFC 9110 §11.6.1): tells it apart from a bad JWT. */
export const SUBGRAPH_SECRET_SCHEME = 'Switchyard-Subgraph-Secret';

/**
 * Whether a request's header value is the expected secret, in time independent of where they differ
 * and of their lengths (both are hashed to 32 bytes first, as timingSafeEqual needs equal lengths).
 */
export function subgraphSecretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false; // missing, or sent twice
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
