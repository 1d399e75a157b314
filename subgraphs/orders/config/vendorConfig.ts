import { z } from 'zod';
import { ConfigError } from '../../../platform/config/ConfigError';
import { env, parseEnv, type Env } from '../../../platform/config/parseEnv';
import { secretEnv } from '../../../platform/config/secretEnv';
import type { UpstreamOptions } from '../../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';

export interface VendorConfig {
  /** `VENDOR_API_URL`: the commerce API, e.g. `https://api.us-central1.gcp.commercetools.com`. */
  api: UpstreamOptions;
  /** `VENDOR_AUTH_URL`: its OAuth server, e.g. `https://auth.us-central1.gcp.commercetools.com`. */
  auth: UpstreamOptions;
  projectKey: string;
  clientId: string;
  clientSecret: string;
  /**
   * `VENDOR_RECEIPT_BASE_URL`: the receipt page for vendor orders (required, no default: the vendor API
   * has none); the order number is appended as `?order_number=`.
   */
  receiptBaseUrl: string;
}

const REQUIRED = [
  'VENDOR_API_URL',
  'VENDOR_AUTH_URL',
  'VENDOR_PROJECT_KEY',
  'VENDOR_CLIENT_ID',
  'VENDOR_CLIENT_SECRET',
  // The vendor API has no receipt page (commercetools has none; CC redirects to the payment provider's),
  // so there is no default to fall back on: docs/reference/vendor-commercetools.md, "Receipts".
  'VENDOR_RECEIPT_BASE_URL',
];

/**
 * The vendor commerce API's settings, or null when none is configured and `required` is false (legacy
 * mode). Half a configuration is always an error, in any mode: it is a deployment mistake. There are
 * no defaults here (`npm start` hands in its simulator's project), and with NODE_ENV=production the
 * client secret must be at least 32 bytes (secretEnv). The client id is required like the rest but not
 * held to a length: OAuth 2.0 says "the client identifier is not a secret" (RFC 6749 §2.2).
 */
export function parseVendorConfig(source: Env, required: string | null): Readonly<VendorConfig> | null {
  const parsed = parseEnv(
    {
      VENDOR_API_URL: env.url().optional(),
      VENDOR_AUTH_URL: env.url().optional(),
      VENDOR_PROJECT_KEY: z
        .string()
        .regex(/^[\w-]+$/, 'must be a project key (letters, digits, - and _)')
        .optional(),
      VENDOR_CLIENT_ID: z.string().optional(),
      // Optional here: whether it is needed at all depends on the mode (the check below names it).
      VENDOR_CLIENT_SECRET: secretEnv(source).optional(),
      VENDOR_RECEIPT_BASE_URL: env.url().optional(),
    },
    source,
  );
  const missing = REQUIRED.filter((name) => parsed[name as keyof typeof parsed] === undefined);
  if (missing.length === REQUIRED.length && required === null) return null;
  if (missing.length > 0) {
    const why = required ?? 'once any VENDOR_* variable is set';
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((name) => `  ${name}="": required ${why}`).join('\n')}`,
    );
  }
  const apiUrl = (parsed.VENDOR_API_URL as string).replace(/\/$/, '');
  return Object.freeze({
    api: parseUpstreamEnv('VENDOR_API', 'vendor-commerce', apiUrl, source),
    auth: parseUpstreamEnv(
      'VENDOR_AUTH',
      'vendor-auth',
      (parsed.VENDOR_AUTH_URL as string).replace(/\/$/, ''),
      source,
    ),
    projectKey: parsed.VENDOR_PROJECT_KEY as string,
    clientId: parsed.VENDOR_CLIENT_ID as string,
    clientSecret: parsed.VENDOR_CLIENT_SECRET as string,
    receiptBaseUrl: parsed.VENDOR_RECEIPT_BASE_URL as string,
  });
}
