import { createTokenVerifier, type TokenVerifier } from './createTokenVerifier';
import type { Identity } from './Identity';
import type { JwtOptions } from './JwtOptions';

// One verifier per options object, made on first use: configuration is parsed once per component,
// so each component keeps one key cache (one JWKS fetch schedule) for its whole life.
const verifiers = new WeakMap<JwtOptions, TokenVerifier>();

/**
 * Verifies a bare LMS token under `options` (createTokenVerifier). Every component calls this, through
 * verifyAuthorization, with its parsed configuration; pass the same options object every time, as a
 * new one starts a new key cache.
 */
export function verifyToken(token: string, options: JwtOptions): Promise<Identity> {
  let verifier = verifiers.get(options);
  if (!verifier) {
    verifier = createTokenVerifier(options);
    verifiers.set(options, verifier);
  }
  return verifier(token);
}
