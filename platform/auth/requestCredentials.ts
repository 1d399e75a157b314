import type { IncomingHttpHeaders } from 'node:http';

/**
 * The request header with which frontend-platform asks for cookie authentication
 * (interceptors/createJwtTokenProviderInterceptor.js sets `USE-JWT-COOKIE: true` on every
 * authenticated request). Not a CORS-safelisted header, so a cross-origin request that carries it is
 * preflighted: a page the CORS policy does not name cannot send it.
 */
export const USE_JWT_COOKIE_HEADER = 'use-jwt-cookie';

/** The two cookies the LMS splits its JWT into (edx-drf-extensions JWT_AUTH_COOKIE_HEADER_PAYLOAD/_SIGNATURE). */
export interface JwtCookieNames {
  headerPayload: string;
  signature: string;
}

export const DEFAULT_JWT_COOKIE_NAMES: Readonly<JwtCookieNames> = Object.freeze({
  headerPayload: 'edx-jwt-cookie-header-payload',
  signature: 'edx-jwt-cookie-signature',
});

export interface RequestCredentials {
  /** The `Authorization` value to verify and forward: the header's, or `JWT <the joined cookies>`. */
  authorization: string | undefined;
  /** The token came from the cookies, so the request must come from an allowed origin. */
  fromCookies: boolean;
}

/**
 * Which token a request carries. The `Authorization` header wins whenever it is present. Without it,
 * the JWT cookies are used only when the request says `USE-JWT-COOKIE: true`, and then joined as
 * edx-drf-extensions' JwtAuthCookieMiddleware joins them: `<header.payload>` + `.` + `<signature>`.
 * A request with the cookies and without the header (a form post, an image, a fetch another site
 * starts) carries no credentials at all.
 */
export function requestCredentials(headers: IncomingHttpHeaders, names: JwtCookieNames): RequestCredentials {
  const authorization = headers.authorization;
  if (authorization !== undefined && authorization.trim() !== '')
    return { authorization, fromCookies: false };
  const flag = headers[USE_JWT_COOKIE_HEADER];
  if (typeof flag !== 'string' || flag.trim().toLowerCase() !== 'true') {
    return { authorization: undefined, fromCookies: false };
  }
  const cookies = parseCookies(headers.cookie);
  const headerPayload = cookies.get(names.headerPayload);
  const signature = cookies.get(names.signature);
  // One of the two alone is what JwtAuthCookieMiddleware logs and ignores.
  if (!headerPayload || !signature) return { authorization: undefined, fromCookies: false };
  return { authorization: `JWT ${headerPayload}.${signature}`, fromCookies: true };
}

/** RFC 6265 §5.4 `Cookie: a=1; b=2`; the first of two cookies with one name is taken (the most specific path). */
function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
