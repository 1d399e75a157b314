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
   * `VENDOR_SCOPES`: what the token request asks for (least privilege: without `scope`, commercetools
   * grants every scope of the API client). @default vendorScopesFor(projectKey)
   */
  scopes: readonly string[];
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
 * What the adapter calls, and the scope each needs (commercetools-api-reference, `securedBy` in
 * api-specs/api/resources/orders.raml and customers.raml): Query Orders and Get Order by OrderNumber
 * `view_orders`, Update Order (a return) `manage_orders`, Query Customers `view_customers`.
 * `manage_orders` implies `view_orders` (commercetools release notes, 29 June 2017), which is named
 * anyway so that dropping `manage_orders` leaves a read-only client that still reads.
 */
export function vendorScopesFor(projectKey: string): readonly string[] {
  return ['view_orders', 'manage_orders', 'view_customers'].map((scope) => `${scope}:${projectKey}`);
}

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
      VENDOR_SCOPES: z
        .string()
        .transform((value) => value.split(/\s+/))
        .pipe(z.array(z.string().regex(/^[a-z_]+:[\w-]+$/, 'each scope must be <scope>:<projectKey>')))
        .optional(),
    },
    source,
  );
  const missing = REQUIRED.filter((name) => parsed[name as keyof typeof parsed] === undefined);
  if (missing.length === REQUIRED.length && required === null) {
    if (parsed.VENDOR_SCOPES === undefined) return null;
    throw new ConfigError(
      'Invalid configuration:\n  VENDOR_SCOPES: set without the vendor API it is for (VENDOR_API_URL…)',
    );
  }
  if (missing.length > 0) {
    const why = required ?? 'once any VENDOR_* variable is set';
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((name) => `  ${name}="": required ${why}`).join('\n')}`,
    );
  }
  const projectKey = parsed.VENDOR_PROJECT_KEY as string;
  // A scope names its project: one for another project grants nothing on this one.
  const foreign = (parsed.VENDOR_SCOPES ?? []).filter((scope) => !scope.endsWith(`:${projectKey}`));
  if (foreign.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  VENDOR_SCOPES="${foreign.join(' ')}": each scope must end in :${projectKey} (VENDOR_PROJECT_KEY)`,
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
    projectKey,
    clientId: parsed.VENDOR_CLIENT_ID as string,
    clientSecret: parsed.VENDOR_CLIENT_SECRET as string,
    scopes: Object.freeze(parsed.VENDOR_SCOPES ?? vendorScopesFor(projectKey)),
    receiptBaseUrl: parsed.VENDOR_RECEIPT_BASE_URL as string,
  });
}
