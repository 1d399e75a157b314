import type { JSONWebKeySet } from './jose';

/**
 * How LMS tokens are verified (edx-drf-extensions' JWT_AUTH): which issuer and audience, and with which
 * keys. A token is accepted only under a key kind that is configured: HS256 needs `secret`, RS256 and
 * RS512 need `jwks`; every other `alg` (`none` included) is refused.
 */
export interface JwtOptions {
  /**
   * The HS256 shared secret (JWT_SECRET_KEY): the deprecated symmetric tokens, accepted only when set.
   * Also what the development tools sign with (`npm run token`, the tests).
   */
  secret?: string;
  issuer: string;
  audience: string;
  /** The LMS's public signing keys (JWT_PUBLIC_SIGNING_JWK_SET, or its `/auth/jwks.json`). */
  jwks?: JwksOptions;
}

/** The public keys given inline, or where to fetch them. */
export type JwksOptions = InlineJwks | RemoteJwks;

export interface InlineJwks {
  keys: JSONWebKeySet;
}

export interface RemoteJwks {
  /** The LMS's `/auth/jwks.json`. */
  url: string;
  /** How long a fetched set is fresh; a stale set keeps serving while a refetch runs. @default 600 s */
  cacheMaxAgeMs?: number;
  /**
   * The least time between two fetches caused by a `kid` the set does not hold, and between two
   * attempts while the endpoint fails: what a flood of forged `kid`s can make this process fetch.
   * @default 30 s
   */
  cooldownMs?: number;
  /** @default 5 s */
  timeoutMs?: number;
}
