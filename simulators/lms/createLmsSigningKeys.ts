import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { jose, type JSONWebKeySet, type JWK } from '../../platform/auth/jose';

/** The LMS's RSA keys: the one it signs with (JWT_PRIVATE_SIGNING_JWK) and the public set it publishes. */
export interface LmsSigningKeys {
  /** JWT_PUBLIC_SIGNING_JWK_SET: every key still published, the signing one included. */
  jwks(): JSONWebKeySet;
  /** The `kid` new tokens are signed with. */
  signingKid(): string;
  /**
   * A key rotation as an operator does it: a new key is added to the public set and signs from now
   * on; the old one stays published, so tokens it signed keep verifying until `retire`.
   */
  rotate(): Promise<string>;
  /** Removes a key from the public set: tokens it signed stop verifying (once verifiers refetch). */
  retire(kid: string): void;
  sign(payload: Record<string, unknown>): Promise<string>;
}

interface Key {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

/**
 * Fresh 2048-bit RSA keys, made at start (the simulator has no configuration to load them from).
 * `alg` is JWT_SIGNING_ALGORITHM: RS512 in edx-platform's JWT_AUTH defaults.
 */
export async function createLmsSigningKeys(alg: 'RS256' | 'RS512' = 'RS512'): Promise<LmsSigningKeys> {
  let generation = 0;
  const published: Key[] = [];
  const make = async (): Promise<Key> => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = `sim-lms-${++generation}-${Date.now().toString(36)}`;
    return { kid, privateKey, publicJwk: { ...(await jose.exportJWK(publicKey)), kid, use: 'sig', alg } };
  };
  let current = await make();
  published.push(current);
  return {
    jwks: () => ({ keys: published.map((k) => k.publicJwk) }),
    signingKid: () => current.kid,
    rotate: async () => {
      current = await make();
      published.push(current);
      return current.kid;
    },
    retire: (kid) => {
      if (kid === current.kid) throw new Error('the signing key cannot be retired; rotate first');
      const index = published.findIndex((k) => k.kid === kid);
      if (index >= 0) published.splice(index, 1);
    },
    sign: (payload) =>
      new jose.SignJWT(payload).setProtectedHeader({ alg, kid: current.kid }).sign(current.privateKey),
  };
}
