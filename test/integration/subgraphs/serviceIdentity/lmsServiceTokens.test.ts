import { verifyAuthorization } from '../../../../platform/auth/verifyAuthorization';
import { parseJwtEnv } from '../../../../platform/config/jwtEnv';
import {
  createLmsOAuthSimulator,
  LMS_DEV_SERVICE_CLIENT,
  type LmsOAuthSimulator,
} from '../../../../simulators/lms/createLmsOAuthSimulator';
import {
  createServiceTokens,
  type ServiceTokens,
} from '../../../../subgraphs/serviceIdentity/createServiceTokens';
import { parseServiceIdentityConfig } from '../../../../subgraphs/serviceIdentity/serviceIdentityConfig';
import { isUpstreamError } from '../../../../upstream/UpstreamError';

// The service identity against the LMS's token endpoint (simulated), over real HTTP, with one clock
// shared by the simulator (iat/exp) and the provider (its cache), so expiry is reached without waiting.
const jwt = parseJwtEnv({});
const TTL_SECONDS = 3600;
const CONCURRENT = 50;

let now: number;
let lms: LmsOAuthSimulator;
const created: ServiceTokens[] = [];

beforeEach(async () => {
  // The simulators' verifier uses the real clock: start from it so issued tokens verify.
  now = Date.now();
  lms = await createLmsOAuthSimulator({ jwt, tokenTtlSeconds: TTL_SECONDS, now: () => now });
});
afterEach(async () => {
  await Promise.all(created.splice(0).flatMap((t) => t.upstreams.map((u) => u.close())));
  await lms.close();
});

function serviceTokens(env: Record<string, string> = {}): ServiceTokens {
  const config = parseServiceIdentityConfig({ LMS_OAUTH2_URL: `${lms.url}/oauth2`, ...env });
  const tokens = createServiceTokens(config, {}, () => now);
  created.push(tokens);
  return tokens;
}
const posts = () => lms.stats().byRoute['oauth2.access_token'] ?? 0;

describe('LmsServiceTokens', () => {
  it(`fetches one token for ${CONCURRENT} concurrent callers and caches it`, async () => {
    const tokens = serviceTokens();
    const identities = await Promise.all(Array.from({ length: CONCURRENT }, () => tokens.identity()));
    await Promise.all(Array.from({ length: CONCURRENT }, () => tokens.identity()));

    expect(posts()).toBe(1);
    expect(lms.tokensIssued()).toBe(1);
    expect(new Set(identities.map((i) => i.token)).size).toBe(1);
    expect(identities[0]).toMatchObject({
      username: LMS_DEV_SERVICE_CLIENT.username,
      isStaff: true,
      userId: LMS_DEV_SERVICE_CLIENT.userId,
    });
  });

  it('hands out a JWT the Open edX services (and Switchyard) accept as the service user', async () => {
    const identity = await serviceTokens().identity();
    expect(await verifyAuthorization(`JWT ${identity.token}`, jwt)).toEqual(identity);
  });

  it('renews the token a minute before it expires, once', async () => {
    const tokens = serviceTokens();
    const first = await tokens.identity();
    now += (TTL_SECONDS - 61) * 1000;
    expect((await tokens.identity()).token).toBe(first.token);
    expect(posts()).toBe(1);

    now += 2000;
    const renewed = await Promise.all(Array.from({ length: CONCURRENT }, () => tokens.identity()));
    expect(posts()).toBe(2);
    expect(new Set(renewed.map((i) => i.token))).toEqual(new Set([renewed[0]!.token]));
    expect(renewed[0]!.token).not.toBe(first.token);
  });

  it('fetches a new token after invalidate (an upstream answered 401)', async () => {
    const tokens = serviceTokens();
    const first = await tokens.identity();
    now += 1000; // a new token has another iat, hence another signature
    tokens.invalidate(first);
    expect((await tokens.identity()).token).not.toBe(first.token);
    expect(posts()).toBe(2);
  });

  it('turns refused client credentials into a coded, non-retryable error, once per call, without crashing', async () => {
    const tokens = serviceTokens({ LMS_OAUTH2_CLIENT_SECRET: 'not-the-secret' });
    const failure = await tokens.identity().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isUpstreamError(failure)).toBe(true);
    expect(failure).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'lms-oauth2',
      message: 'LMS OAuth2 refused the client credentials',
      retryable: false,
      detail: { status: 401, cause: 'invalid_client' },
    });
    expect(isUpstreamError(failure) && failure.toGraphQLError().extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'lms-oauth2',
      retryable: false,
    });
    // Not retried by the kit (a 401 is an answer), and not remembered: the next call asks again.
    expect(posts()).toBe(1);
    await expect(tokens.identity()).rejects.toMatchObject({ retryable: false });
    expect(posts()).toBe(2);
    expect(lms.tokensIssued()).toBe(0);
  });

  it('refuses an unknown client id the same way', async () => {
    const tokens = serviceTokens({ LMS_OAUTH2_CLIENT_ID: 'someone-else' });
    await expect(tokens.identity()).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 'LMS OAuth2 refused the client credentials',
      retryable: false,
    });
  });
});
