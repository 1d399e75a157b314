import { z } from 'zod';
import { LMS_DEV_CLIENT, LMS_SIMULATOR_DEV_PORT } from '../../platform/auth/lmsDevClient';
import { env, parseEnv, type Env } from '../../platform/config/parseEnv';
import { isProduction, secretEnv } from '../../platform/config/secretEnv';
import type { UpstreamOptions } from '../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../upstream/upstreamEnv';

const DEV_OAUTH2_URL = `http://127.0.0.1:${LMS_SIMULATOR_DEV_PORT}/oauth2`;

export interface ServiceIdentityConfig {
  /**
   * The LMS OAuth2 provider, e.g. `https://lms.example.org/oauth2` (edx-rest-api-client's
   * BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL); tokens come from `<baseUrl>/access_token`.
   */
  oauth2: UpstreamOptions;
  clientId: string;
  clientSecret: string;
}

const SET_IN_PRODUCTION = 'must be set in production (NODE_ENV=production)';

/**
 * LMS_OAUTH2_URL, LMS_OAUTH2_CLIENT_ID, LMS_OAUTH2_CLIENT_SECRET (and LMS_OAUTH2_* upstream tuning).
 * In production all three are required and the secret is at least 32 bytes (secretEnv); elsewhere they
 * default to the LMS simulator's. Throws ConfigError naming each bad variable.
 */
export function parseServiceIdentityConfig(source: Env): Readonly<ServiceIdentityConfig> {
  const production = isProduction(source);
  const url = z.url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? SET_IN_PRODUCTION : 'must be an http(s) URL'),
  });
  const parsed = parseEnv(
    {
      LMS_OAUTH2_URL: production ? url : url.default(DEV_OAUTH2_URL),
      LMS_OAUTH2_CLIENT_ID: production
        ? z.string({ error: SET_IN_PRODUCTION }).min(1)
        : env.string(LMS_DEV_CLIENT.clientId),
      LMS_OAUTH2_CLIENT_SECRET: secretEnv(source, LMS_DEV_CLIENT.clientSecret),
    },
    source,
  );
  return Object.freeze({
    oauth2: parseUpstreamEnv('LMS_OAUTH2', 'lms-oauth2', oauth2BaseUrl(parsed.LMS_OAUTH2_URL), source),
    clientId: parsed.LMS_OAUTH2_CLIENT_ID,
    clientSecret: parsed.LMS_OAUTH2_CLIENT_SECRET as string,
  });
}

/**
 * The provider's `/oauth2` URL from what an operator may write: the LMS root, `…/oauth2` or the full
 * `…/oauth2/access_token`, all accepted by edx-rest-api-client's `_get_oauth_url` (client.py).
 */
export function oauth2BaseUrl(url: string): string {
  const stripped = url.replace(/\/+$/, '');
  if (stripped.endsWith('/access_token')) return stripped.slice(0, -'/access_token'.length);
  return stripped.endsWith('/oauth2') ? stripped : `${stripped}/oauth2`;
}

/**
 * `LMS_API_URL` (and `LMS_API_*` tuning): the LMS's REST APIs, called as the service user (the user
 * API's account read: docs/reference/lms-oauth.md "Accounts"). @default the root of the OAuth2
 * provider's URL, the LMS itself in every Open edX deployment.
 */
export function parseLmsApiConfig(
  source: Env,
  identity: Pick<ServiceIdentityConfig, 'oauth2'>,
): UpstreamOptions {
  const parsed = parseEnv(
    { LMS_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional() },
    source,
  );
  const root = parsed.LMS_API_URL ?? identity.oauth2.baseUrl.replace(/\/oauth2$/, '');
  return parseUpstreamEnv('LMS_API', 'lms-api', root.replace(/\/+$/, ''), source);
}
