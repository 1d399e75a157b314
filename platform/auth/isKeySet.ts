import type { JSONWebKeySet } from './jose';

/**
 * Whether a parsed JSON value has the shape of a JSON Web Key Set. Its own module: configuration
 * parsing (platform/config/jwtEnv.ts) checks JWT_JWKS with it, and must not load the key fetcher, jose
 * and graphql with it: a co-located cluster's primary parses the configuration and runs neither
 * (bench/PROFILE.md, "Issue 25: worker memory").
 */
export function isKeySet(value: unknown): value is JSONWebKeySet {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { keys: unknown[] }).keys.every((k) => typeof k === 'object' && k !== null)
  );
}
