import jwt from 'jsonwebtoken';
import { DEV_JWT_SECRET } from '../../../platform/config/jwtEnv';
import { json, startFakeUpstream } from '../../helpers/startFakeUpstream';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

const HISTORY = `query H($username: String, $page: Int, $pageSize: Int) {
  orderHistory(username: $username, page: $page, pageSize: $pageSize) { count orders { number } }
}`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());
beforeEach(() => {
  stack.simulators.legacy!.resetStats();
  stack.simulators.discovery!.resetStats();
});

const upstreamCalls = () =>
  stack.simulators.legacy!.stats().total + stack.simulators.discovery!.stats().total;
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.map((e) => e.extensions?.code);

describe('authentication at the gateway', () => {
  const claims = { preferred_username: 'learner1', administrator: false };
  const sign = (overrides: jwt.SignOptions = {}, secret = DEV_JWT_SECRET, payload: object = claims) =>
    jwt.sign(payload, secret, {
      algorithm: 'HS256',
      issuer: 'http://localhost:18000/oauth2',
      audience: 'lms-key',
      expiresIn: 60,
      ...overrides,
    });

  it.each([
    ['missing', undefined],
    ['malformed', 'JWT not-a-token'],
    ['with an unknown scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['wrongly signed', `JWT ${sign({}, 'another-secret-of-sufficient-length')}`],
    ['expired', `JWT ${sign({ expiresIn: -10 })}`],
    ['for another audience', `JWT ${sign({ audience: 'someone-else' })}`],
    ['from another issuer', `JWT ${sign({ issuer: 'https://evil.example' })}`],
    ['without a username', `JWT ${sign({}, DEV_JWT_SECRET, { administrator: true })}`],
  ])('refuses a %s token with UNAUTHENTICATED and no upstream call', async (_label, authorization) => {
    const result = await stack.query(HISTORY, authorization ? { authorization } : {});
    expect(codes(result.body)).toEqual(['UNAUTHENTICATED']);
    expect(result.body.data ?? null).toBeNull();
    expect(upstreamCalls()).toBe(0);
  });

  it('accepts Bearer as well as JWT', async () => {
    const result = await stack.query(HISTORY, { authorization: `Bearer ${stack.token('learner1')}` });
    expect(result.body.errors).toBeUndefined();
  });

  it('verifies again in the subgraph when called directly (with the gateway’s secret, without a token)', async () => {
    const result = await stack.query('{ orderHistory { count } }', {
      url: `${stack.ordersUrl}/graphql`,
      headers: stack.subgraphHeaders,
    });
    expect(codes(result.body)).toEqual(['UNAUTHENTICATED']);
    expect(upstreamCalls()).toBe(0);
  });

  it('lets the explorer introspect without a token', async () => {
    const result = await stack.query('{ __schema { queryType { name } } }');
    expect(result.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('echoes the caller’s x-request-id and forwards it', async () => {
    const result = await stack.query(HISTORY, {
      user: 'learner1',
      headers: { 'x-request-id': 'trace-abc-123' },
    });
    expect(result.headers.get('x-request-id')).toBe('trace-abc-123');
  });

  it('forwards the request id and the learner’s own JWT all the way to the legacy API', async () => {
    const legacy = await startFakeUpstream();
    legacy.handle((_req, res) => json(res, 200, { count: 0, next: null, previous: null, results: [] }));
    const own = await startTestStack({ LEGACY_ECOMMERCE_URL: legacy.url });
    try {
      const token = own.token('learner1');
      const result = await own.query(HISTORY, {
        authorization: `Bearer ${token}`,
        headers: { 'x-request-id': 'trace-to-legacy' },
      });
      expect(result.body.errors).toBeUndefined();
      expect(legacy.requests).toHaveLength(1);
      // The JWT prefix whatever the caller used: that is what the legacy service's JwtAuthentication reads.
      expect(legacy.requests[0]!.headers).toMatchObject({
        authorization: `JWT ${token}`,
        'x-request-id': 'trace-to-legacy',
      });
    } finally {
      await own.stop();
      await legacy.close();
    }
  });

  it('generates an x-request-id when the caller sends none', async () => {
    const result = await stack.query(HISTORY, { user: 'learner1' });
    expect(result.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('authorization and input', () => {
  it('forbids a learner naming another user, without an upstream call', async () => {
    const result = await stack.query(HISTORY, { user: 'learner1', variables: { username: 'learner3' } });
    expect(codes(result.body)).toEqual(['FORBIDDEN']);
    expect(upstreamCalls()).toBe(0);
  });

  it('allows a learner naming themselves', async () => {
    const result = await stack.query(HISTORY, { user: 'learner1', variables: { username: 'learner1' } });
    expect(result.body.errors).toBeUndefined();
  });

  it.each([[{ pageSize: 0 }], [{ pageSize: -5 }], [{ pageSize: 101 }], [{ page: 0 }], [{ page: -1 }]])(
    'rejects %j with BAD_USER_INPUT and no upstream call',
    async (variables) => {
      const result = await stack.query(HISTORY, { user: 'learner1', variables });
      expect(codes(result.body)).toEqual(['BAD_USER_INPUT']);
      expect(upstreamCalls()).toBe(0);
    },
  );

  it('rejects a wrongly typed variable with BAD_USER_INPUT and no upstream call', async () => {
    const result = await stack.query(HISTORY, { user: 'learner1', variables: { page: 'two' } });
    expect(codes(result.body)).toEqual(['BAD_USER_INPUT']);
    expect(upstreamCalls()).toBe(0);
  });

  it('rejects an unknown field with a validation code and no upstream call', async () => {
    const result = await stack.query('{ orderHistory { nope } }', { user: 'learner1' });
    expect(codes(result.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(upstreamCalls()).toBe(0);
  });
});
