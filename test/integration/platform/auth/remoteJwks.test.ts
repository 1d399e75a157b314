import { createServer, type Server } from 'node:http';
import { createTokenVerifier } from '../../../../platform/auth/createTokenVerifier';
import { close, listen } from '../../../../platform/http/listen';
import { rsaSigningKey, signRsa, type RsaSigningKey } from '../../../helpers/rsaSigningKey';

// The LMS's /auth/jwks.json as a real server: what it serves and whether it answers are the test's to
// change, and it counts what the verifier asks of it. Time is the verifier's injected clock.
const issuer = 'http://localhost:18000/oauth2';
const audience = 'lms-key';
let server: Server;
let url: string;
let served: RsaSigningKey[] = [];
let down = false;
let fetches = 0;
let k1: RsaSigningKey;
let k2: RsaSigningKey;
let forger: RsaSigningKey;

beforeAll(async () => {
  [k1, k2, forger] = await Promise.all([rsaSigningKey('k1'), rsaSigningKey('k2'), rsaSigningKey('forged')]);
  server = createServer((_req, res) => {
    fetches++;
    if (down) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: served.map((k) => k.publicJwk) }));
  });
  url = `${await listen(server, 0)}/auth/jwks.json`;
});
afterAll(() => close(server));
beforeEach(() => {
  served = [k1];
  down = false;
  fetches = 0;
});

function verifierAt(start = 1_000_000) {
  const clock = { now: start };
  const verify = createTokenVerifier(
    { issuer, audience, jwks: { url, cacheMaxAgeMs: 600_000, cooldownMs: 30_000 } },
    { now: () => clock.now },
  );
  return { verify, clock };
}
const sign = (key: RsaSigningKey, clockMs: number) =>
  signRsa(key, {}, { issuer, audience, iat: Math.floor(clockMs / 1000), expiresIn: 10 * 86_400 });
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { extensions?: { code?: string } }) => String(error.extensions?.code),
  );

it('fetches the set once and verifies from memory after that', async () => {
  const { verify, clock } = verifierAt();
  const token = await sign(k1, clock.now);
  for (let i = 0; i < 5; i++) expect(await outcome(verify(token))).toBe('accepted');
  expect(fetches).toBe(1);
});

it('fetches again for a kid it does not know (a rotation), so the new key verifies at once', async () => {
  const { verify, clock } = verifierAt();
  expect(await outcome(verify(await sign(k1, clock.now)))).toBe('accepted');
  served = [k1, k2];
  clock.now += 1000;
  expect(await outcome(verify(await sign(k2, clock.now)))).toBe('accepted');
  expect(await outcome(verify(await sign(k1, clock.now)))).toBe('accepted');
  expect(fetches).toBe(2);
});

it('verifies every token of a new kid arriving together, with one fetch between them', async () => {
  const { verify, clock } = verifierAt();
  expect(await outcome(verify(await sign(k1, clock.now)))).toBe('accepted');
  served = [k1, k2];
  const fresh = await sign(k2, clock.now);
  const answers = await Promise.all(Array.from({ length: 10 }, () => outcome(verify(fresh))));
  expect(answers).toEqual(Array(10).fill('accepted'));
  expect(fetches).toBe(2);
});

it('lets forged kids cause at most one fetch per cool-down, however many arrive', async () => {
  const { verify, clock } = verifierAt();
  expect(await outcome(verify(await sign(k1, clock.now)))).toBe('accepted');
  const forged = await sign(forger, clock.now);
  const answers = await Promise.all(Array.from({ length: 20 }, () => outcome(verify(forged))));
  for (let i = 0; i < 20; i++) answers.push(await outcome(verify(forged)));
  expect(new Set(answers)).toEqual(new Set(['UNAUTHENTICATED']));
  expect(fetches).toBe(2);
  clock.now += 29_999;
  expect(await outcome(verify(forged))).toBe('UNAUTHENTICATED');
  expect(fetches).toBe(2);
  clock.now += 1;
  expect(await outcome(verify(forged))).toBe('UNAUTHENTICATED');
  expect(fetches).toBe(3);
});

it('keeps verifying known keys while the endpoint is down, long after the set went stale', async () => {
  const { verify, clock } = verifierAt();
  const token = await sign(k1, clock.now);
  expect(await outcome(verify(token))).toBe('accepted');
  down = true;
  // Each stale step starts one background refresh (which fails); the cool-down spaces them.
  for (const [step, fetchesAfter] of [
    [600_000, 2],
    [29_999, 2],
    [1, 3],
    [1, 3],
    [3_000_000, 4],
  ] as const) {
    clock.now += step;
    expect(await outcome(verify(token))).toBe('accepted');
    await verify.settled();
    expect(fetches).toBe(fetchesAfter);
  }
  // Once the endpoint is back, a stale set is replaced: a key it dropped stops verifying.
  down = false;
  served = [k2];
  clock.now += 700_000;
  expect(await outcome(verify(token))).toBe('accepted'); // served from the stale set, refresh started
  await verify.settled();
  expect(fetches).toBe(5);
  expect(await outcome(verify(token))).toBe('UNAUTHENTICATED');
  expect(await outcome(verify(await sign(k2, clock.now)))).toBe('accepted');
});

it('answers 503 UPSTREAM_UNAVAILABLE, not 401, when no key was ever fetched, and retries after the cool-down', async () => {
  down = true;
  const { verify, clock } = verifierAt();
  const token = await sign(k1, clock.now);
  expect(await outcome(verify(token))).toBe('UPSTREAM_UNAVAILABLE');
  expect(await outcome(verify(token))).toBe('UPSTREAM_UNAVAILABLE');
  expect(fetches).toBe(1);
  down = false;
  clock.now += 30_000;
  expect(await outcome(verify(token))).toBe('accepted');
  expect(fetches).toBe(2);
});
