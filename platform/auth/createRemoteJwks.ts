import { jose, type JSONWebKeySet, type JWTVerifyGetKey } from './jose';
import { ErrorCode } from '../ErrorCode';
import { codedError } from '../codedError';
import type { RemoteJwks } from './JwtOptions';
import { isKeySet } from './isKeySet';

/** A JWKS is a few keys; anything much larger is a misconfigured URL, not a key set. */
const MAX_JWKS_BYTES = 64 * 1024;

export interface RemoteJwksKeys {
  /** jose's key resolver: the key the token's header names, from the cached set. */
  readonly getKey: JWTVerifyGetKey;
  /** Fetch attempts so far (tests, and what a forged-`kid` flood costs). */
  fetches(): number;
  /** Resolves once no fetch is under way (a background refresh included): tests wait on it. */
  settled(): Promise<void>;
}

/**
 * The LMS's public keys from its `/auth/jwks.json`, cached. jose's own `createRemoteJWKSet` is not used
 * as is because, once its copy is older than `cacheMaxAge`, it awaits a refetch on every token and
 * fails the token when that refetch fails (jwks/remote.js), and its cool-down counts only successful
 * fetches: a JWKS endpoint that is down would take sign-in down for keys already known, and let every
 * forged `kid` cause a fetch. Here:
 * - a token whose `kid` is in the set is verified from memory, always; a stale set is refreshed in the
 *   background and kept when the refresh fails;
 * - an unknown `kid` causes at most one fetch per cool-down (the rotation case: the LMS published a new
 *   key), whatever the outcome; tokens arriving while that fetch runs wait for it rather than being
 *   refused, and any token is retried against a set fetched after it was first looked up;
 * - before the first successful fetch, attempts are spaced by the cool-down too, and a token that
 *   cannot be checked for want of keys is answered 503 UPSTREAM_UNAVAILABLE, not 401.
 * Key parsing and matching stay jose's (createLocalJWKSet).
 */
export function createRemoteJwks(options: RemoteJwks, now: () => number = Date.now): RemoteJwksKeys {
  const maxAgeMs = options.cacheMaxAgeMs ?? 600_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 5000;
  let local: JWTVerifyGetKey | undefined;
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  let unknownKidFetchAt = -Infinity;
  let pending: Promise<void> | undefined;
  let fetches = 0;

  const refresh = (): Promise<void> => {
    pending ??= (async () => {
      attemptedAt = now();
      fetches++;
      const keys = await fetchJwks(options.url, timeoutMs);
      local = jose.createLocalJWKSet(keys);
      fetchedAt = now();
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!local) {
      if (!pending && now() - attemptedAt < cooldownMs) throw keysUnavailable();
      await refresh().catch(() => undefined);
      if (!local) throw keysUnavailable();
    } else if (now() - fetchedAt >= maxAgeMs && now() - attemptedAt >= cooldownMs) {
      // Stale: refresh for the next tokens, verify this one with what is known.
      refresh().catch(() => undefined);
    }
    const known: JWTVerifyGetKey = local;
    try {
      return await known(header, token);
    } catch (error) {
      if (!(error instanceof jose.errors.JWKSNoMatchingKey)) throw error;
      if (pending) {
        // A fetch is under way (another token with this new kid): its keys may hold this one too.
        await pending.catch(() => undefined);
      } else if (now() - unknownKidFetchAt >= cooldownMs) {
        unknownKidFetchAt = now();
        await refresh().catch(() => undefined);
      }
      // Try again only with a set fetched since this token was first looked up.
      if (!local || local === known) throw error;
      return local(header, token);
    }
  };
  return {
    getKey,
    fetches: () => fetches,
    settled: async () => {
      while (pending) await pending.catch(() => undefined);
    },
  };
}

/**
 * A plain fetch, not the upstream kit: platform/ sits below upstream/ (docs/architecture.md), and every
 * component verifies tokens. What the kit would add is here in small: a deadline, no redirects, a size
 * cap, and the cool-down above standing in for a breaker.
 */
async function fetchJwks(url: string, timeoutMs: number): Promise<JSONWebKeySet> {
  // No redirects: the key set's address is configuration, not something a response may change.
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
  const text = await response.text();
  if (Buffer.byteLength(text) > MAX_JWKS_BYTES) throw new Error('JWKS too large');
  const parsed = JSON.parse(text) as unknown;
  if (!isKeySet(parsed)) throw new Error('JWKS is not a JSON Web Key Set');
  return parsed;
}

function keysUnavailable() {
  return codedError(ErrorCode.UPSTREAM_UNAVAILABLE, "The LMS's signing keys could not be fetched", {
    http: { status: 503 },
  });
}
