import { signToken } from '../../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../../platform/config/jwtEnv';
import {
  createLmsOAuthSimulator,
  LMS_DEV_SERVICE_CLIENT,
  type LmsOAuthSimulator,
} from '../../../../simulators/lms/createLmsOAuthSimulator';
import { createServiceTokens } from '../../../../subgraphs/serviceIdentity/createServiceTokens';
import { LmsUserIds } from '../../../../subgraphs/serviceIdentity/LmsUserIds';
import {
  parseLmsApiConfig,
  parseServiceIdentityConfig,
} from '../../../../subgraphs/serviceIdentity/serviceIdentityConfig';
import { createUpstream } from '../../../../upstream/createUpstream';
import { parseUpstreamEnv } from '../../../../upstream/upstreamEnv';
import { configError } from '../../../helpers/configError';

// The LMS user API's account read (docs/reference/lms-oauth.md "Accounts"), as the service user, over
// real HTTP against the LMS simulator.
const jwt = parseJwtEnv({});
const context = { identity: { username: 'support', isStaff: true, token: 'unused' }, requestId: 'r-lms' };

let lms: LmsOAuthSimulator;
const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  // The clients first, then the simulator they were connected to.
  for (const s of started.splice(0).reverse()) await s.close();
});

async function lookups(serviceIsStaff = true): Promise<LmsUserIds> {
  lms = await createLmsOAuthSimulator({
    jwt,
    clients: [{ ...LMS_DEV_SERVICE_CLIENT, isStaff: serviceIsStaff }],
    accounts: new Map([['learner3', 123_456]]),
  });
  started.push(lms);
  const identity = parseServiceIdentityConfig({ LMS_OAUTH2_URL: `${lms.url}/oauth2` });
  const service = createServiceTokens(identity);
  const api = createUpstream(parseLmsApiConfig({}, identity));
  started.push(api, ...service.upstreams);
  return new LmsUserIds(api, service);
}

it('answers the LMS user id of a username, and null for a username the LMS does not know', async () => {
  const ids = await lookups();
  await expect(ids.userIdOf('learner3', context)).resolves.toBe(123_456);
  await expect(ids.userIdOf('nobody', context)).resolves.toBeNull();
  // The LMS root is taken from LMS_OAUTH2_URL: the accounts API was reached there.
  expect(lms.stats().byRoute['accounts.detail']).toBe(2);
});

it('fails closed, never a guess, when the LMS shows no id (a service user without staff)', async () => {
  const ids = await lookups(false);
  await expect(ids.userIdOf('learner3', context)).rejects.toMatchObject({
    code: 'UPSTREAM_ERROR',
    upstream: 'lms-api',
  });
});

it('shows `id` to staff and the user themselves only; a request without a JWT is 401', async () => {
  await lookups();
  const client = createUpstream(parseUpstreamEnv('TEST_LMS', 'lms-test', lms.url, {}));
  started.push(client);
  const read = async (token?: string) => {
    const response = await client.request({
      method: 'GET',
      path: '/api/user/v1/accounts/learner3',
      headers: token ? { authorization: `JWT ${token}` } : {},
    });
    return { status: response.status, body: response.body as Record<string, unknown> };
  };
  expect((await read(signToken('learner3', jwt))).body.id).toBe(123_456);
  expect((await read(signToken('support', jwt, { staff: true }))).body.id).toBe(123_456);
  const other = await read(signToken('learner1', jwt));
  expect(other.status).toBe(200);
  expect(other.body).not.toHaveProperty('id');
  expect((await read()).status).toBe(401);
});

describe('LMS_API_URL', () => {
  const identity = parseServiceIdentityConfig({ LMS_OAUTH2_URL: 'https://lms.example.org/oauth2/' });

  it('defaults to the root of the LMS OAuth2 provider', () => {
    expect(parseLmsApiConfig({}, identity)).toMatchObject({
      name: 'lms-api',
      baseUrl: 'https://lms.example.org',
    });
    expect(parseLmsApiConfig({ LMS_API_URL: 'https://lms-internal.example.org/' }, identity).baseUrl).toBe(
      'https://lms-internal.example.org',
    );
  });

  it('stops start-up on a value that is not an http(s) URL, naming it', () => {
    expect(configError(() => parseLmsApiConfig({ LMS_API_URL: 'lms.example.org' }, identity))).toContain(
      'LMS_API_URL="lms.example.org": must be an http(s) URL',
    );
  });
});
