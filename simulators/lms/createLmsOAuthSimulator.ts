import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { JSONWebKeySet } from '../../platform/auth/jose';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { LMS_DEV_CLIENT } from '../../platform/auth/lmsDevClient';
import { DEFAULT_JWT_COOKIE_NAMES, type JwtCookieNames } from '../../platform/auth/requestCredentials';
import { createSimulator, type SimRequest, type SimResponse, type Simulator } from '../kit/createSimulator';
import { lmsAccountRoutes, type LmsAccounts } from './lmsAccountRoutes';
import { createLmsSigningKeys } from './createLmsSigningKeys';
import { anonymousId, defaultLearnerAccount, learnerSignInRoutes, type LmsLearner } from './learnerSignIn';

/** The password of every simulated learner account (`learnerN`, `staff`), as devstack's accounts share `edx`. */
export const LMS_DEV_LEARNER_PASSWORD = 'edx';
import { certificatesRoute, LmsCertificates } from './certificatesRoute';
import { enrollmentRoute, LmsEnrollments } from './enrollmentRoute';
import { entitlementsRoute, LmsEntitlements } from './entitlementsRoute';

/** A DOT application with the client-credentials grant, and the LMS user it acts as. */
export interface LmsOAuthClient {
  clientId: string;
  clientSecret: string;
  /** The application's user: the token's `preferred_username`. */
  username: string;
  /** That user's id (the `user_id` claim, when the application may have the scope). */
  userId: number;
  /** `is_staff` of that user: the `administrator` claim. */
  isStaff: boolean;
  /** `is_superuser`: the `superuser` claim. @default false */
  isSuperuser?: boolean;
  /** ApplicationAccess scopes beyond the defaults; `user_id` puts the user id in its tokens. @default ['user_id'] */
  extraScopes?: readonly string[];
}

/**
 * Switchyard's own service user as an Open edX operator provisions one for an IDA (`manage_user
 * switchyard_worker … --staff --superuser`, `create_dot_application --grant-type client-credentials`),
 * docs/reference/lms-oauth.md "Service user".
 */
export const LMS_DEV_SERVICE_CLIENT: Readonly<LmsOAuthClient> = Object.freeze({
  ...LMS_DEV_CLIENT,
  userId: 9001,
  isStaff: true,
  isSuperuser: true,
  extraScopes: ['user_id'],
});

export interface LmsOAuthSimulatorOptions {
  /** What the LMS signs with (JWT_AUTH): the secret, issuer and audience every simulator verifies. */
  jwt: JwtOptions;
  /** @default [LMS_DEV_SERVICE_CLIENT] */
  clients?: readonly LmsOAuthClient[];
  /** JWT_ACCESS_TOKEN_EXPIRE_SECONDS. @default 3600 */
  tokenTtlSeconds?: number;
  /** Clock of `iat`/`exp`, injectable so tests move time instead of waiting. @default Date.now */
  now?: () => number;
  port?: number;
  /** The users the accounts API knows (lmsAccountRoutes). @default none */
  accounts?: LmsAccounts;
  /**
   * JWT_AUTH_FORCE_CREATE_ASYMMETRIC: client-credentials tokens signed with the RSA key too. Off, they
   * are HS256 under `jwt.secret` as oauth_dispatch/jwt.py makes them for an unrestricted client
   * (`_get_use_asymmetric_key_value`); with no secret configured they are RSA regardless.
   * @default false
   */
  forceAsymmetric?: boolean;
  /** JWT_SIGNING_ALGORITHM of the learners' (and forced) RSA tokens. @default RS512 */
  signingAlgorithm?: 'RS256' | 'RS512';
  /** Who may sign in at /login. @default `learnerN` (user id N) and `staff` */
  learners?: (username: string) => LmsLearner | null;
  /** JWT_IN_COOKIE_EXPIRATION. @default 3600 */
  cookieTtlSeconds?: number;
  /** JWT_AUTH_COOKIE_HEADER_PAYLOAD / _SIGNATURE. @default the edx-drf-extensions names */
  cookieNames?: JwtCookieNames;
  /** SHARED_COOKIE_DOMAIN. @default unset: host-only cookies */
  cookieDomain?: string;
  /** The certificates the LMS's certificates API serves. @default none */
  certificates?: LmsCertificates;
  /** The course entitlements the LMS's entitlements API serves. @default none */
  entitlements?: LmsEntitlements;
  /** The enrollments the LMS's enrollment API serves. @default none */
  enrollments?: LmsEnrollments;
}

export interface LmsOAuthSimulator extends Simulator {
  /** What `GET /api/certificates/v0/…` serves; tests issue certificates here. */
  certificates: LmsCertificates;
  /** What `GET /api/entitlements/v1/entitlements/` serves; tests grant and lock entitlements here. */
  entitlements: LmsEntitlements;
  /** What `GET /api/enrollment/v1/enrollment/{username},{course_id}` serves. */
  enrollments: LmsEnrollments;
  /** Access tokens issued since start (or `resetStats`), JWT and opaque alike. */
  tokensIssued(): number;
  /** What `/auth/jwks.json` serves now. */
  jwks(): JSONWebKeySet;
  /** Signs with a new RSA key from now on, the old one still published; resolves its `kid`. */
  rotateSigningKey(): Promise<string>;
  /** Stops publishing a key (never the signing one). */
  retireSigningKey(kid: string): void;
  /** The JWT a learner's sign-in puts in the two cookies, for tests and `npm start`. */
  learnerToken(username: string, ttlSeconds?: number): Promise<string>;
}

// OAUTH2_DEFAULT_SCOPES of the LMS: what a client-credentials request without `scope` gets.
const DEFAULT_SCOPES = ['read', 'write', 'email', 'profile'];
// django-oauth-toolkit's ACCESS_TOKEN_EXPIRE_SECONDS, the lifetime of an opaque (Bearer) token.
const BEARER_TTL_SECONDS = 36_000;

/**
 * The LMS's OAuth2 token endpoint (`POST /oauth2/access_token`), client-credentials grant only, as
 * edx-platform's AccessTokenView answers it (docs/reference/lms-oauth.md): `token_type=jwt` gives
 * `{access_token: <JWT>, expires_in, token_type: "JWT", scope}` signed with the JWT settings the other
 * simulators verify; a bad client gives 401 `{"error": "invalid_client"}`.
 */
export async function createLmsOAuthSimulator(options: LmsOAuthSimulatorOptions): Promise<LmsOAuthSimulator> {
  const clients = options.clients ?? [LMS_DEV_SERVICE_CLIENT];
  const now = options.now ?? Date.now;
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const keys = await createLmsSigningKeys(options.signingAlgorithm ?? 'RS512');
  const asymmetricServiceTokens = options.forceAsymmetric === true || options.jwt.secret === undefined;
  const learners = options.learners ?? defaultLearnerAccount;
  let issued = 0;
  const certificates = options.certificates ?? new LmsCertificates();
  const entitlements = options.entitlements ?? new LmsEntitlements();
  const enrollments = options.enrollments ?? new LmsEnrollments();
  // The entitlements list links its pages by absolute URL, known once the server listens.
  let ownUrl = '';

  async function accessToken(request: SimRequest): Promise<SimResponse> {
    // A form body reaches the route as raw text (createSimulator parses only JSON).
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    // oauthlib's ClientCredentialsGrant checks the grant type before it authenticates the client.
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const [clientId, clientSecret] = clientCredentials(request, form);
    const client = clients.find((c) => c.clientId === clientId);
    if (!client || client.clientSecret !== clientSecret) {
      return { status: 401, body: { error: 'invalid_client' } };
    }
    const allowed = [...DEFAULT_SCOPES, ...(client.extraScopes ?? ['user_id'])];
    // ADR 0016: user_id is added when the application may have it and the request names no scopes.
    const scopes = form.has('scope')
      ? (form.get('scope') ?? '').split(' ').filter(Boolean)
      : allowed.filter((s) => DEFAULT_SCOPES.includes(s) || s === 'user_id');
    // RFC 6749 §5.2: a scope the application was not granted is refused, not silently dropped.
    if (scopes.some((s) => !allowed.includes(s))) return { status: 400, body: { error: 'invalid_scope' } };
    issued++;
    if ((form.get('token_type') ?? '').toLowerCase() !== 'jwt') {
      return {
        status: 200,
        body: {
          access_token: randomBytes(15).toString('base64url'),
          expires_in: BEARER_TTL_SECONDS,
          token_type: 'Bearer',
          scope: scopes.join(' '),
        },
      };
    }
    return {
      status: 200,
      body: {
        access_token: await signJwt(client, scopes),
        expires_in: ttlSeconds,
        token_type: 'JWT',
        scope: scopes.join(' '),
      },
    };
  }

  // The payload of oauth_dispatch/jwt.py `_create_jwt`, optional claims by scope.
  function payloadOf(
    user: { username: string; userId: number; isStaff: boolean; isSuperuser?: boolean },
    scopes: string[],
    grantType: string,
    lifetimeSeconds: number,
  ): Record<string, unknown> {
    const iat = Math.floor(now() / 1000);
    const payload: Record<string, unknown> = {
      aud: options.jwt.audience,
      exp: iat + lifetimeSeconds,
      grant_type: grantType,
      iat,
      iss: options.jwt.issuer,
      preferred_username: user.username,
      scopes,
      version: '1.2.0',
      // anonymous_id_for_user: a stable opaque id per user.
      sub: anonymousId(user.username),
      filters: [],
      is_restricted: false,
      email_verified: true,
    };
    if (scopes.includes('user_id')) payload.user_id = user.userId;
    if (scopes.includes('email')) payload.email = `${user.username}@example.com`;
    if (scopes.includes('profile')) {
      Object.assign(payload, {
        name: null,
        family_name: '',
        given_name: '',
        administrator: user.isStaff,
        superuser: user.isSuperuser ?? false,
      });
    }
    return payload;
  }

  async function signJwt(client: LmsOAuthClient, scopes: string[]): Promise<string> {
    const payload = payloadOf(client, scopes, 'client-credentials', ttlSeconds);
    if (asymmetricServiceTokens) return keys.sign(payload);
    return jwt.sign(payload, options.jwt.secret as string, { algorithm: 'HS256' });
  }

  // user_authn/cookies.py `_create_jwt`: scopes user_id, email, profile, `use_asymmetric_key=True`.
  const learnerToken = (learner: LmsLearner, lifetimeSeconds: number) =>
    keys.sign(payloadOf(learner, ['user_id', 'email', 'profile'], 'password', lifetimeSeconds));

  const simulator = await createSimulator(
    'lms-oauth2',
    [
      // oauth_dispatch/urls.py: r'^access_token/?$' under /oauth2/.
      {
        method: 'POST',
        pattern: /^\/oauth2\/access_token\/?$/,
        name: 'oauth2.access_token',
        handle: accessToken,
      },
      ...lmsAccountRoutes(options.accounts ?? new Map(), options.jwt),
      // user_authn/urls: `auth/jwks.json` → views/auth.py `get_public_signing_jwks`.
      {
        method: 'GET',
        pattern: /^\/auth\/jwks\.json$/,
        name: 'auth.jwks',
        handle: () => ({ status: 200, body: keys.jwks() }),
      },
      ...learnerSignInRoutes({
        account: learners,
        password: LMS_DEV_LEARNER_PASSWORD,
        issueToken: learnerToken,
        cookieTtlSeconds: options.cookieTtlSeconds ?? 3600,
        cookieNames: options.cookieNames ?? DEFAULT_JWT_COOKIE_NAMES,
        cookieDomain: options.cookieDomain,
        now,
      }),
      certificatesRoute(certificates, options.jwt),
      entitlementsRoute(entitlements, options.jwt, () => ownUrl),
      enrollmentRoute(enrollments, options.jwt),
    ],
    options.port,
    // oauthlib's error body for anything the simulator itself refuses.
    (status) => ({ error: status >= 500 ? 'server_error' : 'invalid_request' }),
  );
  ownUrl = simulator.url;
  return {
    ...simulator,
    certificates,
    entitlements,
    enrollments,
    tokensIssued: () => issued,
    jwks: () => keys.jwks(),
    rotateSigningKey: () => keys.rotate(),
    retireSigningKey: (kid) => keys.retire(kid),
    learnerToken: async (username, lifetimeSeconds = 3600) => {
      const learner = learners(username);
      if (!learner) throw new Error(`no LMS account ${username}`);
      return learnerToken(learner, lifetimeSeconds);
    },
    resetStats: () => {
      simulator.resetStats();
      issued = 0;
    },
  };
}

/** client_secret_post (edx-rest-api-client) or HTTP Basic: django-oauth-toolkit accepts both. */
function clientCredentials(request: SimRequest, form: URLSearchParams): [string | null, string | null] {
  const basic = /^basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
    }
  }
  return [form.get('client_id'), form.get('client_secret')];
}
