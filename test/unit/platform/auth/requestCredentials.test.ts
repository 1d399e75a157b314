import { requestCredentials, DEFAULT_JWT_COOKIE_NAMES } from '../../../../platform/auth/requestCredentials';
import { parseBrowserEnv } from '../../../../platform/config/browserEnv';
import { configError } from '../../../helpers/configError';

const COOKIES = 'edx-jwt-cookie-header-payload=aaa.bbb; edx-jwt-cookie-signature=ccc';
const of = (headers: Record<string, string>) => requestCredentials(headers, DEFAULT_JWT_COOKIE_NAMES);

describe('requestCredentials', () => {
  it('joins the two cookies as JwtAuthCookieMiddleware does, only with USE-JWT-COOKIE: true (any case)', () => {
    for (const flag of ['true', 'True', ' TRUE ']) {
      expect(of({ cookie: COOKIES, 'use-jwt-cookie': flag })).toEqual({
        authorization: 'JWT aaa.bbb.ccc',
        fromCookies: true,
      });
    }
    for (const flag of [undefined, 'false', '1', 'yes', '']) {
      const headers: Record<string, string> = {
        cookie: COOKIES,
        ...(flag === undefined ? {} : { 'use-jwt-cookie': flag }),
      };
      expect(of(headers)).toEqual({ authorization: undefined, fromCookies: false });
    }
  });

  it('lets Authorization win, and ignores one cookie alone', () => {
    expect(of({ authorization: 'JWT x.y.z', cookie: COOKIES, 'use-jwt-cookie': 'true' })).toEqual({
      authorization: 'JWT x.y.z',
      fromCookies: false,
    });
    expect(of({ cookie: 'edx-jwt-cookie-signature=ccc', 'use-jwt-cookie': 'true' }).fromCookies).toBe(false);
    expect(
      of({ cookie: 'edx-jwt-cookie-header-payload=aaa.bbb', 'use-jwt-cookie': 'true' }).fromCookies,
    ).toBe(false);
  });
});

describe('parseBrowserEnv', () => {
  it('reads origins and cookie names, and stops start-up on an origin a browser would never send', () => {
    const parsed = parseBrowserEnv({
      CORS_ORIGIN_WHITELIST: ' https://apps.example.org , http://localhost:2000 ',
    });
    expect([...parsed.cors.allowedOrigins]).toEqual(['https://apps.example.org', 'http://localhost:2000']);
    expect(parseBrowserEnv({}).cors.allowedOrigins.size).toBe(0);
    for (const bad of [
      'https://apps.example.org/',
      'apps.example.org',
      '*',
      'https://a.example/path',
      'ftp://a.example',
    ]) {
      expect(configError(() => parseBrowserEnv({ CORS_ORIGIN_WHITELIST: bad }))).toContain(
        'CORS_ORIGIN_WHITELIST',
      );
    }
    expect(configError(() => parseBrowserEnv({ JWT_AUTH_COOKIE_SIGNATURE: 'a b' }))).toContain(
      'JWT_AUTH_COOKIE_SIGNATURE',
    );
  });
});
