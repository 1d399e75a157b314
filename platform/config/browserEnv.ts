import { z } from 'zod';
import { DEFAULT_JWT_COOKIE_NAMES, type JwtCookieNames } from '../auth/requestCredentials';
import type { CorsPolicy } from '../http/corsPolicy';
import { parseEnv, type Env } from './parseEnv';

/** How browsers (the MFEs) reach a public endpoint: which origins, and the JWT cookies' names. */
export interface BrowserOptions {
  cors: CorsPolicy;
  cookies: JwtCookieNames;
}

// A cookie name is an RFC 6265 token: no separators, no spaces.
const cookieName = (fallback: string) =>
  z
    .string()
    .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a cookie name (RFC 6265 token)')
    .default(fallback);

/**
 * CORS_ORIGIN_WHITELIST: comma-separated origins (`https://apps.example.org,https://learning.example.org`),
 * none by default: no browser page on another origin may call with credentials until named.
 * JWT_AUTH_COOKIE_HEADER_PAYLOAD / JWT_AUTH_COOKIE_SIGNATURE: the LMS's cookie names, as the
 * edx-drf-extensions settings of those names.
 */
export function parseBrowserEnv(source: Env): BrowserOptions {
  const parsed = parseEnv(
    {
      CORS_ORIGIN_WHITELIST: z
        .string()
        .transform((text, ctx) => {
          const origins = text
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean);
          for (const origin of origins) {
            if (!isOrigin(origin)) {
              ctx.addIssue({
                code: 'custom',
                message: `"${origin}" is not an origin: scheme://host[:port], no path or trailing slash`,
              });
            }
          }
          return origins;
        })
        .default([]),
      JWT_AUTH_COOKIE_HEADER_PAYLOAD: cookieName(DEFAULT_JWT_COOKIE_NAMES.headerPayload),
      JWT_AUTH_COOKIE_SIGNATURE: cookieName(DEFAULT_JWT_COOKIE_NAMES.signature),
    },
    source,
  );
  return Object.freeze({
    cors: Object.freeze({ allowedOrigins: new Set(parsed.CORS_ORIGIN_WHITELIST) }),
    cookies: Object.freeze({
      headerPayload: parsed.JWT_AUTH_COOKIE_HEADER_PAYLOAD,
      signature: parsed.JWT_AUTH_COOKIE_SIGNATURE,
    }),
  });
}

/** What a browser sends as `Origin`: exactly `scheme://host[:port]`, which URL#origin reproduces. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}
