import { createHash, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { LMS_DEV_CLIENT } from '../../platform/auth/lmsDevClient';
import { createSimulator, type SimRequest, type SimResponse, type Simulator } from '../kit/createSimulator';
import { certificatesRoute, LmsCertificates } from './certificatesRoute';

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
  /** The certificates the LMS's certificates API serves. @default none */
  certificates?: LmsCertificates;
}

export interface LmsOAuthSimulator extends Simulator {
  /** What `GET /api/certificates/v0/…` serves; tests issue certificates here. */
  certificates: LmsCertificates;
  /** Access tokens issued since start (or `resetStats`), JWT and opaque alike. */
  tokensIssued(): number;
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
  let issued = 0;
  const certificates = options.certificates ?? new LmsCertificates();

  function accessToken(request: SimRequest): SimResponse {
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
        access_token: signJwt(client, scopes),
        expires_in: ttlSeconds,
        token_type: 'JWT',
        scope: scopes.join(' '),
      },
    };
  }

  // The payload of oauth_dispatch/jwt.py `_create_jwt`, optional claims by scope.
  function signJwt(client: LmsOAuthClient, scopes: string[]): string {
    const iat = Math.floor(now() / 1000);
    const payload: Record<string, unknown> = {
      aud: options.jwt.audience,
      exp: iat + ttlSeconds,
      grant_type: 'client-credentials',
      iat,
      iss: options.jwt.issuer,
      preferred_username: client.username,
      scopes,
      version: '1.2.0',
      // anonymous_id_for_user: a stable opaque id per user.
      sub: createHash('sha256').update(`anonymous:${client.username}`).digest('hex').slice(0, 32),
      filters: [],
      is_restricted: false,
      email_verified: true,
    };
    if (scopes.includes('user_id')) payload.user_id = client.userId;
    if (scopes.includes('email')) payload.email = `${client.username}@example.com`;
    if (scopes.includes('profile')) {
      Object.assign(payload, {
        name: null,
        family_name: '',
        given_name: '',
        administrator: client.isStaff,
        superuser: client.isSuperuser ?? false,
      });
    }
    return jwt.sign(payload, options.jwt.secret, { algorithm: 'HS256' });
  }

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
      certificatesRoute(certificates, options.jwt),
    ],
    options.port,
    // oauthlib's error body for anything the simulator itself refuses.
    (status) => ({ error: status >= 500 ? 'server_error' : 'invalid_request' }),
  );
  return {
    ...simulator,
    certificates,
    tokensIssued: () => issued,
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
