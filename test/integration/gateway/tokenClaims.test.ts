import jwt from 'jsonwebtoken';
import { DEV_JWT_SECRET } from '../../../platform/config/jwtEnv';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// The README promises `exp` is checked; a token without one would be good forever. Like the LMS's
// own services (edx-drf-extensions requires exp and iat), the gateway refuses it.
const HISTORY = '{ orderHistory(pageSize: 1) { count } }';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());
beforeEach(() => stack.simulators.legacy!.resetStats());

/** A token signed with the stack's secret, issuer and audience; `options` may drop exp or iat. */
const sign = (options: jwt.SignOptions) =>
  jwt.sign({ preferred_username: 'learner1', administrator: false }, DEV_JWT_SECRET, {
    algorithm: 'HS256',
    issuer: 'http://localhost:18000/oauth2',
    audience: 'lms-key',
    ...options,
  });

describe('token lifetime claims, over HTTP at the gateway', () => {
  it('refuses a token without exp, or without iat, with 401 UNAUTHENTICATED and no upstream call; serves one with both', async () => {
    const cases = [
      ['Authentication failed: token has no exp', sign({})],
      ['Authentication failed: token has no iat', sign({ expiresIn: 60, noTimestamp: true })],
    ] as const;
    for (const [message, token] of cases) {
      const result = await stack.query(HISTORY, { authorization: `JWT ${token}` });
      expect(result.status).toBe(401);
      expect(result.body.errors).toEqual([{ message, extensions: { code: 'UNAUTHENTICATED' } }]);
    }
    expect(stack.simulators.legacy!.stats().total).toBe(0);

    const both = sign({ expiresIn: 60 });
    expect(jwt.decode(both)).toMatchObject({ exp: expect.any(Number), iat: expect.any(Number) });
    const result = await stack.query<{ orderHistory: { count: number } }>(HISTORY, {
      authorization: `JWT ${both}`,
    });
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.orderHistory.count).toBeGreaterThan(0);
  });
});
