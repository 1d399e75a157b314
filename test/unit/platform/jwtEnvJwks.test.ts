import { DEV_JWT_SECRET, parseJwtEnv } from '../../../platform/config/jwtEnv';
import { configError } from '../../helpers/configError';

const SET = JSON.stringify({ keys: [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB' }] });
const URL = 'https://lms.example.org/auth/jwks.json';

describe('JWT_JWKS_URL and JWT_PUBLIC_SIGNING_JWK_SET', () => {
  it('let production start without JWT_SECRET, and then accept no HS256 at all', () => {
    const parsed = parseJwtEnv({ NODE_ENV: 'production', JWT_JWKS_URL: URL });
    expect(parsed.secret).toBeUndefined();
    expect(parsed.jwks).toEqual({ url: URL, cacheMaxAgeMs: 600_000, cooldownMs: 30_000 });
    expect(parseJwtEnv({ NODE_ENV: 'production', JWT_PUBLIC_SIGNING_JWK_SET: SET }).jwks).toEqual({
      keys: JSON.parse(SET),
    });
  });

  it('drop the development secret default, keeping an explicit JWT_SECRET (held to 32 bytes in production)', () => {
    expect(parseJwtEnv({ JWT_JWKS_URL: URL }).secret).toBeUndefined();
    expect(parseJwtEnv({ JWT_JWKS_URL: URL, JWT_SECRET: DEV_JWT_SECRET }).secret).toBe(DEV_JWT_SECRET);
    expect(
      configError(() => parseJwtEnv({ NODE_ENV: 'production', JWT_JWKS_URL: URL, JWT_SECRET: 'short' })),
    ).toContain('JWT_SECRET');
  });

  it('stop start-up naming the variable for a bad set, a bad URL, both at once, or a zero cool-down', () => {
    expect(configError(() => parseJwtEnv({ JWT_PUBLIC_SIGNING_JWK_SET: '{"keys": []}' }))).toContain(
      'JWT_PUBLIC_SIGNING_JWK_SET',
    );
    expect(configError(() => parseJwtEnv({ JWT_PUBLIC_SIGNING_JWK_SET: 'not json' }))).toContain(
      'must be a JSON Web Key Set',
    );
    expect(configError(() => parseJwtEnv({ JWT_JWKS_URL: 'ftp://x' }))).toContain('JWT_JWKS_URL');
    expect(configError(() => parseJwtEnv({ JWT_JWKS_URL: URL, JWT_PUBLIC_SIGNING_JWK_SET: SET }))).toContain(
      'not both',
    );
    expect(configError(() => parseJwtEnv({ JWT_JWKS_URL: URL, JWT_JWKS_COOLDOWN_SECONDS: '0' }))).toContain(
      'JWT_JWKS_COOLDOWN_SECONDS',
    );
  });
});
