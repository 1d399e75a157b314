import { createPublicKey, type JsonWebKey as NodeJwk } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { jose } from '../../../../platform/auth/jose';
import { createTokenVerifier } from '../../../../platform/auth/createTokenVerifier';
import { signToken } from '../../../../platform/auth/signToken';
import { verifyAuthorization } from '../../../../platform/auth/verifyAuthorization';
import { DEV_JWT_SECRET, parseJwtEnv } from '../../../../platform/config/jwtEnv';
import { rsaSigningKey, signRsa, unsignedToken, type RsaSigningKey } from '../../../helpers/rsaSigningKey';

const issuer = 'http://localhost:18000/oauth2';
const audience = 'lms-key';
let first: RsaSigningKey;
let second: RsaSigningKey;
let stranger: RsaSigningKey;

beforeAll(async () => {
  [first, second, stranger] = await Promise.all([
    rsaSigningKey('k1'),
    rsaSigningKey('k2'),
    rsaSigningKey('k1'),
  ]);
});

const jwksOnly = () => ({ issuer, audience, jwks: { keys: { keys: [first.publicJwk, second.publicJwk] } } });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: Error & { extensions?: { code?: string } }) => `${error.extensions?.code}: ${error.message}`,
  );

describe('an LMS token under a JWK set (RS256, RS512)', () => {
  it('is accepted signed by any key of the set, RS256 or RS512, and read like an HS256 one', async () => {
    const verify = createTokenVerifier(jwksOnly());
    const byFirst = await signRsa(first, { administrator: true, user_id: 7 }, { issuer, audience });
    const bySecond = await signRsa(second, {}, { issuer, audience, alg: 'RS512' });
    expect(await verify(byFirst)).toEqual({ username: 'learner1', isStaff: true, userId: 7, token: byFirst });
    expect(await verify(bySecond)).toMatchObject({ username: 'learner1', isStaff: false });
  });

  it('is accepted without a kid, each key of the set tried in turn (as edx-drf-extensions does)', async () => {
    const verify = createTokenVerifier(jwksOnly());
    const noKid = await signRsa(second, {}, { issuer, audience, kid: null });
    expect(await verify(noKid)).toMatchObject({ username: 'learner1' });
  });

  it('is refused signed by a key outside the set, even one claiming a kid of the set', async () => {
    const verify = createTokenVerifier(jwksOnly());
    const forged = await signRsa(stranger, {}, { issuer, audience });
    const unknownKid = await signRsa(stranger, {}, { issuer, audience, kid: 'k9' });
    expect(await failure(verify(forged))).toBe('UNAUTHENTICATED: Authentication failed: invalid token');
    expect(await failure(verify(unknownKid))).toBe('UNAUTHENTICATED: Authentication failed: invalid token');
  });

  it('is refused with alg none, and HS256 is refused where only the JWK set is configured', async () => {
    const verify = createTokenVerifier(jwksOnly());
    const now = Math.floor(Date.now() / 1000);
    const claims = { preferred_username: 'learner1', iss: issuer, aud: audience, iat: now, exp: now + 60 };
    expect(await failure(verify(unsignedToken(claims)))).toBe(
      'UNAUTHENTICATED: Authentication failed: invalid token',
    );
    const hs256 = signToken('learner1', parseJwtEnv({}));
    expect(await failure(verify(hs256))).toBe('UNAUTHENTICATED: Authentication failed: invalid token');
    // Signed with the RSA public key as an HMAC secret: the algorithm-confusion forgery.
    const pem = createPublicKey({ key: { ...first.publicJwk } as NodeJwk, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const confused = jwt.sign(claims, pem, { algorithm: 'HS256', header: { alg: 'HS256', kid: 'k1' } });
    expect(await failure(verify(confused))).toBe('UNAUTHENTICATED: Authentication failed: invalid token');
  });

  it('checks issuer, audience, exp and iat as for HS256', async () => {
    const verify = createTokenVerifier(jwksOnly());
    const other = (opts: object) => signRsa(first, {}, { issuer, audience, ...opts });
    expect(await failure(verify(await other({ issuer: 'https://evil.example/oauth2' })))).toContain(
      'invalid token',
    );
    expect(await failure(verify(await other({ audience: 'someone-else' })))).toContain('invalid token');
    expect(await failure(verify(await other({ expiresIn: -10 })))).toContain('token expired');
    const noIat = await new jose.SignJWT({ preferred_username: 'learner1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(first.privateKey);
    expect(await failure(verify(noIat))).toBe('UNAUTHENTICATED: Authentication failed: token has no iat');
  });

  it('uses the injected clock for exp', async () => {
    const token = await signRsa(first, {}, { issuer, audience, expiresIn: 60 });
    const later = createTokenVerifier(jwksOnly(), { now: () => Date.now() + 120_000 });
    expect(await failure(later(token))).toContain('token expired');
  });
});

describe('HS256 where a secret is configured', () => {
  it('is accepted next to the JWK set only when JWT_SECRET is set explicitly', async () => {
    const set = JSON.stringify({ keys: [first.publicJwk] });
    const hs256 = signToken('learner1', parseJwtEnv({}));
    const withSecret = parseJwtEnv({ JWT_PUBLIC_SIGNING_JWK_SET: set, JWT_SECRET: DEV_JWT_SECRET });
    const withoutSecret = parseJwtEnv({ JWT_PUBLIC_SIGNING_JWK_SET: set });
    expect(withoutSecret.secret).toBeUndefined();
    expect(await verifyAuthorization(`JWT ${hs256}`, withSecret)).toMatchObject({ username: 'learner1' });
    await expect(verifyAuthorization(`JWT ${hs256}`, withoutSecret)).rejects.toThrow('invalid token');
    const rsa = await signRsa(first, {}, { issuer, audience });
    expect(await verifyAuthorization(`JWT ${rsa}`, withSecret)).toMatchObject({ username: 'learner1' });
  });

  it('refuses RS256 where no JWK set is configured', async () => {
    const rsa = await signRsa(first, {}, { issuer, audience });
    await expect(verifyAuthorization(`JWT ${rsa}`, parseJwtEnv({}))).rejects.toThrow('invalid token');
  });
});
