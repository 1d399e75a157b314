import { createHash, randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse, SimRoute } from '../kit/createSimulator';

/** A learner account of the simulated LMS. */
export interface LmsLearner {
  username: string;
  userId: number;
  isStaff: boolean;
}

export interface LearnerSignInOptions {
  /** Who may sign in: the account for a username, or null. */
  account: (username: string) => LmsLearner | null;
  /** The one password every simulated account has (devstack's accounts share one too). */
  password: string;
  /** The learner's JWT, signed as the LMS signs its cookie tokens. */
  issueToken: (learner: LmsLearner, ttlSeconds: number) => Promise<string>;
  /** JWT_IN_COOKIE_EXPIRATION: the cookies' Max-Age and the token's lifetime. */
  cookieTtlSeconds: number;
  cookieNames: { headerPayload: string; signature: string };
  /** SHARED_COOKIE_DOMAIN; unset: host-only cookies. */
  cookieDomain?: string;
  now: () => number;
}

// Django's session cookie; what /login_refresh knows the learner by.
const SESSION_COOKIE = 'sessionid';

/**
 * Sign-in as the LMS does it for browsers (docs/reference/lms-oauth.md "Learner tokens"): a form at
 * `GET /login`, the credentials posted to `/api/user/v2/account/login_session/`, and, on success,
 * a session cookie plus the two JWT cookies of user_authn/cookies.py `_set_jwt_cookies`: the token's
 * `header.payload` readable by scripts (frontend-platform reads it), its signature HttpOnly, both
 * `Path=/` and expiring after JWT_IN_COOKIE_EXPIRATION. `POST /login_refresh` (frontend-platform's
 * REFRESH_ACCESS_TOKEN_ENDPOINT) sets fresh JWT cookies for the session.
 */
export function learnerSignInRoutes(options: LearnerSignInOptions): SimRoute[] {
  const sessions = new Map<string, LmsLearner>();

  async function jwtCookies(learner: LmsLearner, secure: boolean): Promise<string[]> {
    const token = await options.issueToken(learner, options.cookieTtlSeconds);
    // cookies.py `_parse_jwt`: the first two parts, and the third.
    const [header, payload, signature] = token.split('.');
    return [
      cookie(options.cookieNames.headerPayload, `${header}.${payload}`, false, secure),
      cookie(options.cookieNames.signature, signature ?? '', true, secure),
    ];
  }

  function cookie(name: string, value: string, httpOnly: boolean, secure: boolean): string {
    const expires = new Date(options.now() + options.cookieTtlSeconds * 1000).toUTCString();
    return [
      `${name}=${value}`,
      ...(options.cookieDomain ? [`Domain=${options.cookieDomain}`] : []),
      'Path=/',
      `Max-Age=${options.cookieTtlSeconds}`,
      `Expires=${expires}`,
      ...(httpOnly ? ['HttpOnly'] : []),
      // cookies.py: Secure exactly when the request came over TLS (`request.is_secure()`). SameSite:
      // the simulator serves plain HTTP, where a browser refuses `SameSite=None` without Secure, so
      // Lax: sent on same-site requests (an MFE on a sibling host of the same site), never cross-site.
      ...(secure ? ['Secure', 'SameSite=None'] : ['SameSite=Lax']),
    ].join('; ');
  }

  async function loginSession(request: SimRequest): Promise<SimResponse> {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const username = form.get('email_or_username') ?? '';
    const learner = options.account(username);
    if (!learner || form.get('password') !== options.password) {
      return { status: 400, body: { success: false, value: 'Email or password is incorrect.' } };
    }
    const session = randomBytes(24).toString('base64url');
    sessions.set(session, learner);
    const secure = request.url.protocol === 'https:';
    return {
      status: 200,
      body: { success: true, redirect_url: '/dashboard' },
      headers: {
        'set-cookie': [
          `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`,
          ...(await jwtCookies(learner, secure)),
        ],
      },
    };
  }

  async function loginRefresh(request: SimRequest): Promise<SimResponse> {
    const session = /(?:^|;\s*)sessionid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
    const learner = session === undefined ? undefined : sessions.get(session);
    if (!learner) return { status: 401, body: { developer_message: 'Not authenticated' } };
    const nowSeconds = options.now() / 1000;
    return {
      status: 200,
      // cookies.py `get_response_with_refreshed_jwt_cookies`.
      body: {
        success: true,
        user_id: learner.userId,
        response_epoch_seconds: nowSeconds,
        expires_epoch_seconds: Math.floor(nowSeconds + options.cookieTtlSeconds),
      },
      headers: { 'set-cookie': await jwtCookies(learner, request.url.protocol === 'https:') },
    };
  }

  return [
    {
      method: 'GET',
      pattern: /^\/login\/?$/,
      name: 'login.page',
      handle: () => ({ status: 200, html: LOGIN_PAGE }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/user\/v2\/account\/login_session\/$/,
      name: 'user_authn.login_session',
      handle: loginSession,
    },
    {
      method: 'POST',
      pattern: /^\/login_refresh\/?$/,
      name: 'user_authn.login_refresh',
      handle: loginRefresh,
    },
  ];
}

/** The default accounts: `learnerN` has user id N, `staff` is staff; anyone else is unknown. */
export function defaultLearnerAccount(username: string): LmsLearner | null {
  const learner = /^learner([1-9]\d{0,5})$/.exec(username);
  if (learner) return { username, userId: Number(learner[1]), isStaff: false };
  if (username === 'staff') return { username, userId: 3, isStaff: true };
  return null;
}

/** A stable opaque `sub` per user, as anonymous_id_for_user gives. */
export function anonymousId(username: string): string {
  return createHash('sha256').update(`anonymous:${username}`).digest('hex').slice(0, 32);
}

const LOGIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in (LMS simulator)</title></head>
<body>
<form id="login" method="post" action="/api/user/v2/account/login_session/">
  <label>Username <input name="email_or_username" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>
</body></html>
`;
