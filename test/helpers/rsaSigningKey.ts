import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { jose, type JWK } from '../../platform/auth/jose';

export interface RsaSigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public half as the LMS publishes it in /auth/jwks.json. */
  publicJwk: JWK;
}

/** A fresh RSA key as the LMS's JWT_PRIVATE_SIGNING_JWK would be (2048 bits, a `kid`). */
export async function rsaSigningKey(kid: string): Promise<RsaSigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicJwk: { ...(await jose.exportJWK(publicKey)), kid, use: 'sig' } };
}

/** An LMS-shaped learner token signed with `key`. */
export async function signRsa(
  key: RsaSigningKey,
  claims: Record<string, unknown>,
  options: {
    issuer: string;
    audience: string;
    alg?: 'RS256' | 'RS512';
    kid?: string | null;
    expiresIn?: number;
    iat?: number;
  },
): Promise<string> {
  const iat = options.iat ?? Math.floor(Date.now() / 1000);
  const kid = options.kid === undefined ? key.kid : options.kid;
  return new jose.SignJWT({ preferred_username: 'learner1', ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', ...(kid === null ? {} : { kid }) })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.expiresIn ?? 300))
    .sign(key.privateKey);
}

/** The same claims with `alg: none` and no signature: what every verifier must refuse. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
