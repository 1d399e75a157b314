import { z } from 'zod';
import { ConfigError } from '../../platform/config/ConfigError';
import { env, parseEnv, type Env } from '../../platform/config/parseEnv';
import type { UpstreamOptions } from '../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../upstream/upstreamEnv';

export interface VendorConfig {
  /** `VENDOR_API_URL`: the commerce API, e.g. `https://api.us-central1.gcp.commercetools.com`. */
  api: UpstreamOptions;
  /** `VENDOR_AUTH_URL`: its OAuth server, e.g. `https://auth.us-central1.gcp.commercetools.com`. */
  auth: UpstreamOptions;
  projectKey: string;
  clientId: string;
  clientSecret: string;
  /** Receipt page base; the order number is appended as `?order_number=`. */
  receiptBaseUrl: string;
}

const REQUIRED = [
  'VENDOR_API_URL',
  'VENDOR_AUTH_URL',
  'VENDOR_PROJECT_KEY',
  'VENDOR_CLIENT_ID',
  'VENDOR_CLIENT_SECRET',
];

/**
 * The vendor commerce API's settings, or null when none is configured and `required` is false (legacy
 * mode). Half a configuration is always an error, in any mode: it is a deployment mistake.
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
      VENDOR_CLIENT_SECRET: z.string().optional(),
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
    receiptBaseUrl: parsed.VENDOR_RECEIPT_BASE_URL ?? `${apiUrl}/receipt/`,
  });
}
