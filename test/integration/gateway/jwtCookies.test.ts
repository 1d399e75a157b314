import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// The LMS's JWT cookies as an MFE sends them (frontend-platform: `credentials: include` and
// `USE-JWT-COOKIE: true`), against the whole stack over real HTTP. What a browser does with the CORS
// answers is test/e2e/mfeCookieSignIn.test.ts; here, what the gateway answers and whether anything
// reaches an upstream.
const MFE = 'http://apps.mfe.example';
const EVIL = 'http://evil.example';
const QUERY = '{ orderHistory(page: 1, pageSize: 5) { count orders { number } } }';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ CORS_ORIGIN_WHITELIST: `${MFE},https://learning.mfe.example` });
});
afterAll(() => stack.stop());
beforeEach(() => stack.simulators.legacy!.resetStats());

/** The token split as the LMS splits it into its two cookies (user_authn/cookies.py `_parse_jwt`). */
function cookiesOf(token: string, names = ['edx-jwt-cookie-header-payload', 'edx-jwt-cookie-signature']) {
  const [header, payload, signature] = token.split('.');
  return `other=1; ${names[0]}=${header}.${payload}; ${names[1]}=${signature}`;
}

async function post(headers: Record<string, string>, body = JSON.stringify({ query: QUERY })) {
  const response = await fetch(`${stack.gatewayUrl}/graphql`, { method: 'POST', headers, body });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return {
    status: response.status,
    headers: response.headers,
    body: json,
    upstreamCalls: stack.simulators.legacy!.stats().total,
  };
}
const legacyCount = async (user: string) =>
  (await stack.query<{ orderHistory: { count: number } }>(QUERY, { user })).body.data!.orderHistory.count;

it('reads the learner’s history from the two cookies with USE-JWT-COOKIE: true, from an allowed origin', async () => {
  const expected = await legacyCount('learner3');
  stack.simulators.legacy!.resetStats();
  const answer = await post({
    'content-type': 'application/json',
    cookie: cookiesOf(stack.token('learner3')),
    'use-jwt-cookie': 'true',
    origin: MFE,
  });
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  // The subgraph verified the joined token (forwarded as Authorization) and asked legacy as learner3.
  expect(answer.body.data.orderHistory.count).toBe(expected);
  expect(answer.upstreamCalls).toBeGreaterThan(0);
  expect(answer.headers.get('access-control-allow-origin')).toBe(MFE);
  expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
  expect(answer.headers.get('vary')).toContain('Origin');
});

it('works without an Origin header (a same-origin GET, or a tool), as edx-drf-extensions accepts the cookies', async () => {
  const answer = await post({
    'content-type': 'application/json',
    cookie: cookiesOf(stack.token('learner3')),
    'use-jwt-cookie': 'true',
  });
  expect(answer.status).toBe(200);
  expect(answer.body.data.orderHistory.count).toBeGreaterThan(0);
});

it.each([
  ['without USE-JWT-COOKIE', { 'content-type': 'application/json', origin: MFE }],
  [
    'with USE-JWT-COOKIE: false',
    { 'content-type': 'application/json', 'use-jwt-cookie': 'false', origin: MFE },
  ],
])(
  'ignores the cookies %s: the request is anonymous, refused before any upstream call',
  async (_l, headers) => {
    const answer = await post({ ...headers, cookie: cookiesOf(stack.token('learner3')) });
    expect(answer.status).toBe(401);
    expect(answer.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(answer.upstreamCalls).toBe(0);
  },
);

it('refuses the cookies from an origin not in CORS_ORIGIN_WHITELIST (403), and says nothing to that origin', async () => {
  const answer = await post({
    'content-type': 'application/json',
    cookie: cookiesOf(stack.token('learner3')),
    'use-jwt-cookie': 'true',
    origin: EVIL,
  });
  expect(answer.status).toBe(403);
  expect(answer.body.errors[0].extensions.code).toBe('FORBIDDEN');
  expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  expect(answer.upstreamCalls).toBe(0);
});

it.each([
  ['a form post', 'application/x-www-form-urlencoded', 'query=%7B+orderHistory+%7B+count+%7D+%7D'],
  ['a text/plain post', 'text/plain', JSON.stringify({ query: QUERY })],
  ['a multipart post', 'multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
])('refuses %s carrying the cookies from another site, before any upstream call', async (_l, type, body) => {
  const answer = await post(
    { 'content-type': type, cookie: cookiesOf(stack.token('learner3')), origin: EVIL },
    body,
  );
  expect(answer.status).toBe(400);
  expect(answer.upstreamCalls).toBe(0);
  // Even with the header (which no form can add) from the wrong origin: refused.
  const flagged = await post(
    {
      'content-type': type,
      cookie: cookiesOf(stack.token('learner3')),
      'use-jwt-cookie': 'true',
      origin: EVIL,
    },
    body,
  );
  expect([400, 403]).toContain(flagged.status);
  expect(flagged.upstreamCalls).toBe(0);
});

it('lets the Authorization header win when both are sent', async () => {
  const expected = await legacyCount('learner1');
  const answer = await post({
    'content-type': 'application/json',
    authorization: `JWT ${stack.token('learner1')}`,
    cookie: cookiesOf(stack.token('learner3')),
    'use-jwt-cookie': 'true',
    origin: EVIL,
  });
  // The header is not sent by a browser on its own: no CSRF risk, so no origin rule.
  expect(answer.status).toBe(200);
  expect(answer.body.data.orderHistory.count).toBe(expected);
});

it('refuses a tampered cookie (UNAUTHENTICATED) and a lone half (anonymous), before any upstream call', async () => {
  const token = stack.token('learner3');
  const tampered = cookiesOf(`${token.slice(0, -4)}AAAA`);
  const bad = await post({
    'content-type': 'application/json',
    cookie: tampered,
    'use-jwt-cookie': 'true',
    origin: MFE,
  });
  expect(bad.status).toBe(401);
  const half = `edx-jwt-cookie-header-payload=${token.split('.').slice(0, 2).join('.')}`;
  const lone = await post({
    'content-type': 'application/json',
    cookie: half,
    'use-jwt-cookie': 'true',
    origin: MFE,
  });
  expect(lone.status).toBe(401);
  expect(lone.upstreamCalls).toBe(0);
});

describe('the CORS preflight (OPTIONS /graphql)', () => {
  const preflight = (origin: string) =>
    fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,use-jwt-cookie',
      },
    });

  it('allows credentials, POST and USE-JWT-COOKIE for a listed MFE origin', async () => {
    const response = await preflight(MFE);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(MFE);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('use-jwt-cookie');
  });

  it('gives any other origin no Access-Control-Allow-* header at all', async () => {
    for (const origin of [EVIL, 'null', `${MFE}.evil.example`, 'http://apps.mfe.example:8080']) {
      const response = await preflight(origin);
      expect(response.status).toBe(204);
      const allow: string[] = [];
      response.headers.forEach((_value, name) => {
        if (name.startsWith('access-control-allow')) allow.push(name);
      });
      expect(allow).toEqual([]);
    }
  });
});

describe('configurable cookie names (JWT_AUTH_COOKIE_HEADER_PAYLOAD, JWT_AUTH_COOKIE_SIGNATURE)', () => {
  let renamed: TestStack;
  beforeAll(async () => {
    renamed = await startTestStack({
      CORS_ORIGIN_WHITELIST: MFE,
      JWT_AUTH_COOKIE_HEADER_PAYLOAD: 'stage-jwt-hp',
      JWT_AUTH_COOKIE_SIGNATURE: 'stage-jwt-sig',
    });
  });
  afterAll(() => renamed.stop());

  it('reads the configured names and ignores the default ones', async () => {
    const send = (cookie: string) =>
      fetch(`${renamed.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'use-jwt-cookie': 'true', origin: MFE },
        body: JSON.stringify({ query: QUERY }),
      });
    const token = renamed.token('learner3');
    expect((await send(cookiesOf(token, ['stage-jwt-hp', 'stage-jwt-sig']))).status).toBe(200);
    expect((await send(cookiesOf(token))).status).toBe(401);
  });
});

describe('co-located (the subgraphs in the gateway’s process)', () => {
  let colocated: TestStack;
  beforeAll(async () => {
    colocated = await startTestStack({ CORS_ORIGIN_WHITELIST: MFE }, { colocated: true });
  });
  afterAll(() => colocated.stop());

  it('hands the joined token to the in-process subgraphs, which verify it again', async () => {
    const send = (cookie: string) =>
      fetch(`${colocated.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'use-jwt-cookie': 'true', origin: MFE },
        body: JSON.stringify({ query: QUERY }),
      });
    const good = await send(cookiesOf(colocated.token('learner3')));
    expect(good.status).toBe(200);
    expect(((await good.json()) as any).data.orderHistory.count).toBeGreaterThan(0);
    colocated.simulators.legacy!.resetStats();
    const forged = await send(cookiesOf(`${colocated.token('learner3').slice(0, -4)}AAAA`));
    expect(forged.status).toBe(401);
    expect(colocated.simulators.legacy!.stats().total).toBe(0);
  });
});
