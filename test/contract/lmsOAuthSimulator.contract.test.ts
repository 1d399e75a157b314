import jwt from 'jsonwebtoken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import {
  createLmsOAuthSimulator,
  LMS_DEV_SERVICE_CLIENT,
  type LmsOAuthSimulator,
} from '../../simulators/lms/createLmsOAuthSimulator';

// The LMS token endpoint simulator is a claim about openedx/edx-platform's oauth_dispatch (and oauthlib
// under it): each rule names its source; docs/reference/lms-oauth.md has the detail.
const jwtOptions = parseJwtEnv({});
const { clientId, clientSecret } = LMS_DEV_SERVICE_CLIENT;
const NOW = Date.UTC(2026, 2, 1, 12);

let lms: LmsOAuthSimulator;
beforeEach(async () => {
  lms = await createLmsOAuthSimulator({ jwt: jwtOptions, now: () => NOW });
});
afterEach(() => lms.close());

async function post(form: Record<string, string>, path = '/oauth2/access_token', headers = {}) {
  const response = await fetch(`${lms.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}
const clientCredentials = {
  grant_type: 'client_credentials',
  client_id: clientId,
  client_secret: clientSecret,
};

describe('LMS OAuth2 simulator keeps edx-platform’s token endpoint rules', () => {
  // oauth_dispatch/views.py AccessTokenView (token_type=jwt) and jwt.py _create_jwt; edx-rest-api-client
  // client.py get_oauth_access_token sends exactly this form.
  it('answers token_type=jwt with a signed JWT for the application’s user', async () => {
    const { status, body } = await post({ ...clientCredentials, token_type: 'jwt' });
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.any(String),
      expires_in: 3600,
      token_type: 'JWT',
      scope: 'read write email profile user_id',
    });
    const claims = jwt.verify(body.access_token, jwtOptions.secret as string, {
      issuer: jwtOptions.issuer,
      audience: jwtOptions.audience,
      clockTimestamp: NOW / 1000,
    }) as jwt.JwtPayload;
    expect(claims).toMatchObject({
      preferred_username: 'switchyard_worker',
      administrator: true,
      superuser: true,
      user_id: LMS_DEV_SERVICE_CLIENT.userId,
      grant_type: 'client-credentials',
      scopes: ['read', 'write', 'email', 'profile', 'user_id'],
      iat: NOW / 1000,
      exp: NOW / 1000 + 3600,
      is_restricted: false,
    });
    expect(lms.tokensIssued()).toBe(1);
  });

  // urls.py r'^access_token/?$'; django-oauth-toolkit also authenticates a client by HTTP Basic.
  it('takes the path with or without its slash, and HTTP Basic client authentication', async () => {
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const answer = await post(
      { grant_type: 'client_credentials', token_type: 'jwt' },
      '/oauth2/access_token/',
      {
        authorization: basic,
      },
    );
    expect(answer).toMatchObject({ status: 200, body: { token_type: 'JWT' } });
  });

  // oauthlib InvalidClientError: 401 {"error": "invalid_client"}.
  it('refuses an unknown client or a wrong secret with 401 invalid_client, issuing nothing', async () => {
    expect(await post({ ...clientCredentials, client_secret: 'wrong', token_type: 'jwt' })).toEqual({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await post({ ...clientCredentials, client_id: 'nobody', token_type: 'jwt' })).toEqual({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(lms.tokensIssued()).toBe(0);
  });

  // oauthlib ClientCredentialsGrant.validate_token_request: the grant type is checked first.
  it('refuses another grant type with 400 unsupported_grant_type', async () => {
    expect(await post({ ...clientCredentials, grant_type: 'password' })).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
  });

  // Without token_type=jwt the LMS answers django-oauth-toolkit's opaque Bearer token (36000 s).
  it('answers an opaque Bearer token when token_type is not jwt', async () => {
    const { body } = await post(clientCredentials);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 36000 });
    expect(body.access_token.split('.')).toHaveLength(1);
  });

  // RFC 6749 §5.2: a scope the application may not have is refused.
  it('refuses a scope the application was not granted', async () => {
    expect(await post({ ...clientCredentials, token_type: 'jwt', scope: 'read grades' })).toEqual({
      status: 400,
      body: { error: 'invalid_scope' },
    });
  });
});
