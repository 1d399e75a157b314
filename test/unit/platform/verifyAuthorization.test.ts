import jwt from 'jsonwebtoken';
import { verifyAuthorization } from '../../../platform/auth/verifyAuthorization';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';

const options = parseJwtEnv({});
const header = (claims: object) =>
  `JWT ${jwt.sign({ preferred_username: 'learner1', ...claims }, options.secret as string, {
    algorithm: 'HS256',
    issuer: options.issuer,
    audience: options.audience,
    expiresIn: 60,
  })}`;

describe('the LMS user id (user_id claim)', () => {
  it('is read into Identity.userId when a positive integer, and left out otherwise', async () => {
    expect(await verifyAuthorization(header({ user_id: 42 }), options)).toMatchObject({
      username: 'learner1',
      userId: 42,
    });
    for (const userId of ['42', 0, -3, 1.5, null, undefined]) {
      expect(await verifyAuthorization(header({ user_id: userId }), options)).not.toHaveProperty('userId');
    }
  });
});

describe('verifyAuthorization', () => {
  const token = (claims: object, signOptions: jwt.SignOptions = {}) =>
    jwt.sign({ preferred_username: 'learner1', ...claims }, options.secret as string, {
      algorithm: 'HS256',
      issuer: options.issuer,
      audience: options.audience,
      expiresIn: 60,
      ...signOptions,
    });
  const refusal = async (value: string) => {
    try {
      await verifyAuthorization(value, options);
    } catch (error) {
      return { message: (error as Error).message, extensions: (error as { extensions: unknown }).extensions };
    }
    return 'accepted';
  };
  const unauthenticated = (message: string) => ({
    message,
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

  it('treats a missing or blank header as no user at all', async () => {
    expect(await verifyAuthorization(undefined, options)).toBeNull();
    expect(await verifyAuthorization('', options)).toBeNull();
    expect(await verifyAuthorization('  \t ', options)).toBeNull();
  });

  it('reads either scheme, any case, with surrounding whitespace', async () => {
    const t = token({ administrator: true });
    for (const value of [`JWT ${t}`, `Bearer ${t}`, `bearer  ${t}`, `  jwt ${t}  `]) {
      expect(await verifyAuthorization(value, options)).toEqual({
        username: 'learner1',
        isStaff: true,
        token: t,
      });
    }
    expect((await verifyAuthorization(`JWT ${token({ administrator: 'true' })}`, options))?.isStaff).toBe(
      false,
    );
  });

  it.each([
    ['another scheme', (t: string) => `Basic ${t}`],
    ['text before the scheme', (t: string) => `x JWT ${t}`],
    ['no space after the scheme', (t: string) => `JWT${t}`],
    ['a second word after the token', (t: string) => `JWT ${t} extra`],
  ])('refuses a header with %s', async (_label, build) => {
    expect(await refusal(build(token({})))).toEqual(
      unauthenticated('Authorization header must be "JWT <token>" or "Bearer <token>"'),
    );
  });

  it('says why a token was refused: expired, or invalid', async () => {
    expect(await refusal(`JWT ${token({}, { expiresIn: -10 })}`)).toEqual(
      unauthenticated('Authentication failed: token expired'),
    );
    expect(await refusal(`JWT ${token({}, { audience: 'someone-else' })}`)).toEqual(
      unauthenticated('Authentication failed: invalid token'),
    );
  });

  it.each([
    ['missing', { preferred_username: undefined }],
    ['empty', { preferred_username: '' }],
    ['not a string', { preferred_username: 42 }],
  ])('refuses a token whose preferred_username is %s', async (_label, claims) => {
    expect(await refusal(`JWT ${token(claims)}`)).toEqual(
      unauthenticated('Authentication failed: token has no preferred_username'),
    );
  });
});
