import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Identity } from '../../platform/auth/Identity';
import { ErrorCode } from '../../platform/ErrorCode';
import { CachedToken, type FetchedToken } from '../../upstream/CachedToken';
import { parseBody } from '../../upstream/parseBody';
import type { Upstream } from '../../upstream/Upstream';
import { UpstreamError } from '../../upstream/UpstreamError';
import { ServiceCredentialsError } from './ServiceCredentialsError';

export interface LmsServiceTokensOptions {
  /** The LMS OAuth2 provider (`LMS_OAUTH2_URL`, its `/oauth2` base). */
  oauth2: Upstream;
  clientId: string;
  clientSecret: string;
  /** @default Date.now — injected in tests to move past expiry without waiting. */
  now?: () => number;
}

// Renew this long before the LMS's expiry: a token that dies between our check and the upstream's
// would cost every call in flight a 401. edx-rest-api-client keeps 5 s
// (ACCESS_TOKEN_EXPIRED_THRESHOLD_SECONDS); a minute also covers clock skew between hosts.
const REFRESH_MARGIN_MS = 60_000;

// docs/reference/lms-oauth.md "Token response": AccessTokenView with token_type=jwt.
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string(),
  scope: z.string().optional(),
});

// The claims we read (docs/reference/lms-oauth.md "Claims"); `administrator` needs the profile scope.
const claimsSchema = z.object({
  preferred_username: z.string().min(1),
  administrator: z.boolean().optional(),
  user_id: z.number().int().positive().optional(),
});

const oauthErrorSchema = z.object({ error: z.string() });

/**
 * Switchyard's own identity towards other Open edX services: a JWT for the service user, from the LMS
 * by OAuth2 client credentials exactly as edx-rest-api-client's OAuthAPIClient gets one, shared by the
 * whole process (single-flight, renewed a minute before it expires). Nothing in Switchyard mints a
 * service token itself.
 */
export class LmsServiceTokens {
  private readonly cache: CachedToken<Identity>;
  private readonly now: () => number;

  constructor(private readonly options: LmsServiceTokensOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new CachedToken(() => this.fetchIdentity(), this.now);
  }

  /** The service user with a token good for at least another minute. */
  identity(): Promise<Identity> {
    return this.cache.get();
  }

  /** An upstream answered 401 to this identity's token: fetch a new one next time (unless already done). */
  invalidate(identity: Identity): void {
    this.cache.invalidate(identity);
  }

  private async fetchIdentity(): Promise<FetchedToken<Identity>> {
    const { oauth2, clientId, clientSecret } = this.options;
    const requestedAt = this.now();
    const response = await oauth2.request({
      method: 'POST',
      path: '/access_token',
      // client_secret_post, as edx-rest-api-client's get_oauth_access_token sends it.
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        token_type: 'jwt',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      // Each POST mints a token the LMS records: sent again only when it provably never left (the kit).
      idempotent: false,
    });
    if (response.status !== 200) throw refused(oauth2.name, response.status, response.body);
    const answer = parseBody(oauth2.name, tokenResponseSchema, response.body);
    // Without token_type=jwt honoured we would hold an opaque Bearer token no Open edX service takes as JWT.
    if (answer.token_type.toUpperCase() !== 'JWT') {
      throw malformed(oauth2.name, `token_type ${answer.token_type}, expected JWT`);
    }
    const token = answer.access_token;
    // Not verified: it came straight from the provider we are configured with, over our own request.
    const claims = claimsSchema.safeParse(jwt.decode(token, { json: true }));
    if (!claims.success) throw malformed(oauth2.name, `token claims: ${claims.error.message}`);
    const lifetimeMs = answer.expires_in * 1000;
    return {
      value: {
        username: claims.data.preferred_username,
        isStaff: claims.data.administrator === true,
        ...(claims.data.user_id !== undefined ? { userId: claims.data.user_id } : {}),
        token,
      },
      refreshAt: requestedAt + Math.max(0, lifetimeMs - REFRESH_MARGIN_MS),
    };
  }
}

function refused(upstream: string, status: number, body: unknown): UpstreamError {
  const error = oauthErrorSchema.safeParse(body).data?.error;
  // 401 invalid_client (docs/reference/lms-oauth.md "Errors"): an operator has to fix LMS_OAUTH2_CLIENT_*.
  const message =
    error === 'invalid_client'
      ? 'LMS OAuth2 refused the client credentials'
      : `LMS OAuth2 refused the token request (${error ?? `status ${status}`})`;
  return new ServiceCredentialsError(upstream, message, { status, cause: error });
}

/** A token we cannot use: not a JWT, or without the claims we read (the body itself was well-formed). */
function malformed(upstream: string, cause: string): UpstreamError {
  return new UpstreamError(upstream, ErrorCode.UPSTREAM_ERROR, `${upstream} returned a malformed token`, {
    cause: cause.slice(0, 300),
  });
}
