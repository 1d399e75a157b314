import { ErrorCode } from '../../../../platform/ErrorCode';
import type { Upstream } from '../../../../upstream/Upstream';
import { UpstreamError } from '../../../../upstream/UpstreamError';
import { vendorTokenSchema } from './dto';

export interface VendorTokenProviderOptions {
  /** The vendor's OAuth server (`VENDOR_AUTH_URL`). */
  auth: Upstream;
  clientId: string;
  clientSecret: string;
  /** @default Date.now — injected in tests to move past expiry without waiting. */
  now?: () => number;
}

interface Token {
  value: string;
  /** Epoch ms after which we stop using it. */
  refreshAt: number;
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
  private current: Token | null = null;
  private pending: Promise<Token> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: VendorTokenProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.value;
    // Not tied to any caller's AbortSignal: one caller giving up must not fail the others waiting.
    this.pending ??= this.fetchToken().finally(() => (this.pending = null));
    return (await this.pending).value;
  }

  /** The vendor answered 401 with `token`: forget it, unless a newer one has already replaced it. */
  invalidate(token: string): void {
    if (this.current?.value === token) this.current = null;
  }

  private async fetchToken(): Promise<Token> {
    const { auth, clientId, clientSecret } = this.options;
    const requestedAt = this.now();
    const response = await auth.request({
      method: 'POST',
      path: '/oauth/token',
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      // Asking twice only mints a second token: safe for the kit to retry.
      idempotent: true,
    });
    if (response.status !== 200) {
      // 401/400 here means our client credentials are wrong: an operator problem, not the learner's.
      throw new UpstreamError(
        auth.name,
        ErrorCode.UPSTREAM_ERROR,
        `${auth.name} refused our client credentials`,
        {
          status: response.status,
        },
      );
    }
    const parsed = vendorTokenSchema.safeParse(response.body);
    if (!parsed.success) {
      throw new UpstreamError(auth.name, ErrorCode.UPSTREAM_ERROR, `${auth.name} returned a malformed body`, {
        cause: parsed.error.message.slice(0, 300),
      });
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    const token = {
      value: parsed.data.access_token,
      refreshAt: requestedAt + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10),
    };
    this.current = token;
    return token;
  }
}
