import { CachedToken, type FetchedToken } from '../../../../upstream/CachedToken';
import { unexpectedStatus } from '../../../../upstream/expectStatus';
import { parseBody } from '../../../../upstream/parseBody';
import type { Upstream } from '../../../../upstream/Upstream';
import { vendorTokenSchema } from './dto';

export interface VendorTokenProviderOptions {
  /** The vendor's OAuth server (`VENDOR_AUTH_URL`). */
  auth: Upstream;
  clientId: string;
  clientSecret: string;
  /**
   * The scopes asked for (`VENDOR_SCOPES`). Without them commercetools grants every scope the API
   * client has (docs.commercetools.com/api/scopes), more than this adapter uses.
   */
  scopes?: readonly string[];
  /** @default Date.now — injected in tests to move past expiry without waiting. */
  now?: () => number;
}

// Renew this long before the server's expiry (at most a tenth of the lifetime): a token that expires
// between our check and the vendor's would cost every request in flight a 401 and a retry.
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * One service token for the whole process (OAuth2 client credentials), fetched on first use, renewed
 * before it expires, and dropped when the vendor rejects it. Single-flight: however many requests
 * find the token missing or stale at once, exactly one token request is made and all of them wait on it.
 */
export class VendorTokenProvider {
  private readonly cache: CachedToken<string>;
  private readonly now: () => number;

  constructor(private readonly options: VendorTokenProviderOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new CachedToken(() => this.fetchToken(), this.now);
  }

  token(): Promise<string> {
    return this.cache.get();
  }

  /** The vendor answered 401 with `token`: forget it, unless a newer one has already replaced it. */
  invalidate(token: string): void {
    this.cache.invalidate(token);
  }

  private async fetchToken(): Promise<FetchedToken<string>> {
    const { options } = this;
    const { auth, clientId, clientSecret } = options;
    const requestedAt = this.now();
    const response = await auth.request({
      method: 'POST',
      path: '/oauth/token',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        ...(options.scopes?.length ? { scope: options.scopes.join(' ') } : {}),
      }).toString(),
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      // Asking twice only mints a second token: safe for the kit to retry.
      idempotent: true,
    });
    if (response.status !== 200) {
      // 401/400 here means our client credentials are wrong: an operator problem, not the learner's.
      throw unexpectedStatus(auth.name, response.status, `${auth.name} refused our client credentials`);
    }
    const token = parseBody(auth.name, vendorTokenSchema, response.body);
    const lifetimeMs = token.expires_in * 1000;
    return {
      value: token.access_token,
      refreshAt: requestedAt + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10),
    };
  }
}
