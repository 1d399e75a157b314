import { createSecretKey, type KeyObject } from 'node:crypto';
import { jose, type CryptoKey, type JWTPayload, type JWTVerifyGetKey } from './jose';
import jwt from 'jsonwebtoken';
import { ErrorCode } from '../ErrorCode';
import { codedError } from '../codedError';
import { createRemoteJwks } from './createRemoteJwks';
import type { Identity } from './Identity';
import type { JwtOptions } from './JwtOptions';

/** Verifies one LMS token (the bare JWT) into an Identity, or throws UNAUTHENTICATED. */
export type TokenVerifier = ((token: string) => Promise<Identity>) & {
  /** Resolves once no key-set fetch is under way (tests of the cache). */
  settled(): Promise<void>;
};

export interface TokenVerifierDeps {
  /** The clock of `exp` and of the key cache. @default Date.now */
  now?: () => number;
}

// edx-drf-extensions decoder.py `verify_jwk_signature_using_keyset`: an RSA key verifies RS256 or
// RS512, the symmetric key HS256, nothing else.
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS512'];

/**
 * The one way a component checks an LMS token, as edx-drf-extensions' `jwt_decode_handler` does: the
 * signature against the JWK set (RS256/RS512) or, where a secret is configured, the deprecated HS256
 * key; then `iss`, `aud`, and `exp` and `iat`, which must both be there. The `alg` of the token picks
 * the key kind, and a kind that is not configured refuses the token before any key is tried, so an
 * HS256 token is never checked against an RSA public key (the algorithm-confusion attack) and `none`
 * is never accepted.
 */
export function createTokenVerifier(options: JwtOptions, deps: TokenVerifierDeps = {}): TokenVerifier {
  const now = deps.now ?? Date.now;
  const secret: KeyObject | undefined =
    options.secret === undefined ? undefined : createSecretKey(Buffer.from(options.secret, 'utf8'));
  const remote =
    options.jwks !== undefined && !('keys' in options.jwks) ? createRemoteJwks(options.jwks, now) : undefined;
  const getKey: JWTVerifyGetKey | undefined =
    options.jwks === undefined
      ? undefined
      : 'keys' in options.jwks
        ? jose.createLocalJWKSet(options.jwks.keys)
        : remote?.getKey;

  const verify = async (token: string): Promise<Identity> => {
    let alg: unknown;
    try {
      alg = jose.decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated('Authentication failed: invalid token');
    }
    let claims: JWTPayload;
    if (alg === 'HS256' && secret) {
      claims = verifySymmetric(token, secret, options, now);
    } else if (typeof alg === 'string' && ASYMMETRIC_ALGORITHMS.includes(alg) && getKey) {
      claims = await verifyAsymmetric(token, getKey, options, now);
    } else {
      throw unauthenticated('Authentication failed: invalid token');
    }
    return identityOf(claims, token);
  };
  return Object.assign(verify, { settled: () => remote?.settled() ?? Promise.resolve() });
}

function verifySymmetric(token: string, key: KeyObject, options: JwtOptions, now: () => number): JWTPayload {
  try {
    const claims = jwt.verify(token, key, {
      algorithms: ['HS256'],
      issuer: options.issuer,
      audience: options.audience,
      clockTimestamp: Math.floor(now() / 1000),
    });
    if (typeof claims === 'string') throw unauthenticated('Authentication failed: invalid token');
    return claims as JWTPayload;
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw unauthenticated('Authentication failed: token expired');
    throw unauthenticated('Authentication failed: invalid token');
  }
}

async function verifyAsymmetric(
  token: string,
  getKey: JWTVerifyGetKey,
  options: JwtOptions,
  now: () => number,
): Promise<JWTPayload> {
  const verifyOptions = {
    algorithms: ASYMMETRIC_ALGORITHMS,
    issuer: options.issuer,
    audience: options.audience,
    currentDate: new Date(now()),
  };
  try {
    return (await jose.jwtVerify(token, getKey, verifyOptions)).payload;
  } catch (error) {
    // A token without `kid` under a set of several RSA keys: try each, as edx-drf-extensions tries
    // every key of its set in turn.
    if (error instanceof jose.errors.JWKSMultipleMatchingKeys) {
      const candidates = error as AsyncIterable<CryptoKey>;
      for await (const key of candidates) {
        try {
          return (await jose.jwtVerify(token, key, verifyOptions)).payload;
        } catch (next) {
          if (next instanceof jose.errors.JWTExpired) throw refusal(next);
        }
      }
    }
    throw refusal(error);
  }
}

function refusal(error: unknown) {
  if (error instanceof jose.errors.JWTExpired) return unauthenticated('Authentication failed: token expired');
  // The key set could not be fetched: not the caller's fault, and a 401 would send them to sign in.
  if (error instanceof Error && (error as { extensions?: { code?: unknown } }).extensions?.code) return error;
  return unauthenticated('Authentication failed: invalid token');
}

function identityOf(claims: JWTPayload, token: string): Identity {
  // jsonwebtoken and jose check `exp` only when present; a token without one would never expire. Like
  // edx-drf-extensions (its decode requires "exp" and "iat"), both must be there.
  if (typeof claims.exp !== 'number') throw unauthenticated('Authentication failed: token has no exp');
  if (typeof claims.iat !== 'number') throw unauthenticated('Authentication failed: token has no iat');
  if (typeof claims.preferred_username !== 'string' || !claims.preferred_username) {
    throw unauthenticated('Authentication failed: token has no preferred_username');
  }
  const userId = claims.user_id;
  return {
    username: claims.preferred_username,
    isStaff: claims.administrator === true,
    // The LMS puts the numeric user id in `user_id`; anything else there is ignored, not trusted.
    ...(Number.isSafeInteger(userId) && (userId as number) > 0 ? { userId: userId as number } : {}),
    token,
  };
}

export function unauthenticated(message: string) {
  return codedError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
}
