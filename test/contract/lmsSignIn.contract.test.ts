import { createTokenVerifier } from '../../platform/auth/createTokenVerifier';
import { jose } from '../../platform/auth/jose';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import {
  createLmsOAuthSimulator,
  LMS_DEV_LEARNER_PASSWORD,
  LMS_DEV_SERVICE_CLIENT,
  type LmsOAuthSimulator,
} from '../../simulators/lms/createLmsOAuthSimulator';

// The LMS simulator issues what the LMS issues to browsers: RSA-signed learner tokens, the public set
// at /auth/jwks.json, and the two JWT cookies (docs/reference/lms-oauth.md "Learner tokens").
const jwtOptions = parseJwtEnv({});
let lms: LmsOAuthSimulator;
beforeEach(async () => {
  lms = await createLmsOAuthSimulator({ jwt: jwtOptions });
});
afterEach(() => lms.close());

const signIn = (username: string, password = LMS_DEV_LEARNER_PASSWORD) =>
  fetch(`${lms.url}/api/user/v2/account/login_session/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email_or_username: username, password }).toString(),
  });
const verifierOf = () =>
  createTokenVerifier({ ...jwtOptions, secret: undefined, jwks: { url: `${lms.url}/auth/jwks.json` } });
const setCookies = (response: Response) => response.headers.getSetCookie();
const cookieValue = (cookies: string[], name: string) =>
  cookies
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1);

describe('GET /auth/jwks.json (user_authn/views/auth.py get_public_signing_jwks)', () => {
  it('serves the public RSA keys only: no private member', async () => {
    const response = await fetch(`${lms.url}/auth/jwks.json`);
    expect(response.status).toBe(200);
    const set = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: 'RSA', e: 'AQAB', kid: expect.any(String), alg: 'RS512' });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(set.keys[0]).not.toHaveProperty(member);
  });
});

describe('sign-in sets the two JWT cookies as user_authn/cookies.py does', () => {
  it('splits an RS512 learner token into header.payload (script-readable) and signature (HttpOnly)', async () => {
    const response = await signIn('learner7');
    expect(response.status).toBe(200);
    const cookies = setCookies(response);
    const headerPayload = cookies.find((c) => c.startsWith('edx-jwt-cookie-header-payload='))!;
    const signature = cookies.find((c) => c.startsWith('edx-jwt-cookie-signature='))!;
    for (const cookie of [headerPayload, signature]) {
      expect(cookie).toContain('Path=/');
      expect(cookie).toContain('Max-Age=3600');
      expect(cookie).toMatch(/Expires=\w{3}, /);
      expect(cookie).not.toContain('Secure'); // request.is_secure(): plain HTTP here
    }
    expect(headerPayload).not.toContain('HttpOnly');
    expect(signature).toContain('HttpOnly');
    const token = `${cookieValue(cookies, 'edx-jwt-cookie-header-payload')}.${cookieValue(cookies, 'edx-jwt-cookie-signature')}`;
    expect(jose.decodeProtectedHeader(token)).toMatchObject({ alg: 'RS512', kid: expect.any(String) });
    expect(jose.decodeJwt(token)).toMatchObject({
      preferred_username: 'learner7',
      user_id: 7,
      administrator: false,
      scopes: ['user_id', 'email', 'profile'],
      iss: jwtOptions.issuer,
      aud: jwtOptions.audience,
    });
    expect(await verifierOf()(token)).toMatchObject({ username: 'learner7', userId: 7 });
  });

  it('refuses a wrong password or an unknown account, setting no cookie', async () => {
    for (const response of [await signIn('learner7', 'nope'), await signIn('mallory')]) {
      expect(response.status).toBe(400);
      expect(setCookies(response)).toEqual([]);
    }
  });

  it('refreshes the JWT cookies for the session at POST /login_refresh, and refuses without one', async () => {
    const session = cookieValue(setCookies(await signIn('learner7')), 'sessionid');
    const refreshed = await fetch(`${lms.url}/login_refresh`, {
      method: 'POST',
      headers: { cookie: `sessionid=${session}` },
    });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ success: true, user_id: 7 });
    expect(cookieValue(setCookies(refreshed), 'edx-jwt-cookie-signature')).toBeTruthy();
    expect((await fetch(`${lms.url}/login_refresh`, { method: 'POST' })).status).toBe(401);
  });
});

describe('key rotation', () => {
  it('signs with the new key while the old one stays published: tokens of both verify', async () => {
    const verify = verifierOf();
    const before = await lms.learnerToken('learner1');
    const kid = await lms.rotateSigningKey();
    const after = await lms.learnerToken('learner1');
    expect(jose.decodeProtectedHeader(after).kid).toBe(kid);
    expect(lms.jwks().keys).toHaveLength(2);
    expect(await verify(before)).toMatchObject({ username: 'learner1' });
    expect(await verify(after)).toMatchObject({ username: 'learner1' });
  });
});

describe('service tokens (client credentials)', () => {
  const serviceToken = async (sim: LmsOAuthSimulator) => {
    const response = await fetch(`${sim.url}/oauth2/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: LMS_DEV_SERVICE_CLIENT.clientId,
        client_secret: LMS_DEV_SERVICE_CLIENT.clientSecret,
        token_type: 'jwt',
      }).toString(),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };

  it('stay HS256 for an unrestricted client, and are RSA with JWT_AUTH_FORCE_CREATE_ASYMMETRIC', async () => {
    expect(jose.decodeProtectedHeader(await serviceToken(lms)).alg).toBe('HS256');
    const forced = await createLmsOAuthSimulator({ jwt: jwtOptions, forceAsymmetric: true });
    try {
      expect(jose.decodeProtectedHeader(await serviceToken(forced)).alg).toBe('RS512');
    } finally {
      await forced.close();
    }
  });
});
