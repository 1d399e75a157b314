import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
  /** What the token may do: `scope` of the token answer, checked on every API call. */
  scopes: readonly string[];
}

/**
 * Access tokens of the simulated OAuth server. Time comes from an injected clock, so tests move it
 * instead of waiting; `expireAll` is the "every token died at once" knob (a key rotation, a revoked
 * client), which a caller only discovers through a 401.
 */
export class VendorTokens {
  private readonly expiresAt = new Map<string, number>();
  private readonly scopes = new Map<string, readonly string[]>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  issue(scopes: readonly string[]): IssuedToken {
    this.forgetExpired();
    const accessToken = randomBytes(24).toString('base64url');
    this.expiresAt.set(accessToken, this.now() + this.ttlSeconds * 1000);
    this.scopes.set(accessToken, scopes);
    return { accessToken, expiresInSeconds: this.ttlSeconds, scopes };
  }

  isValid(token: string): boolean {
    const expiresAt = this.expiresAt.get(token);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  /** The scopes of a valid token (empty for any other). */
  scopesOf(token: string): readonly string[] {
    return this.isValid(token) ? (this.scopes.get(token) ?? []) : [];
  }

  expireAll(): void {
    this.expiresAt.clear();
    this.scopes.clear();
  }

  /** Keeps a long-running simulator (npm start, the benchmark) from growing without bound. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.expiresAt) {
      if (expiresAt > now) continue;
      this.expiresAt.delete(token);
      this.scopes.delete(token);
    }
  }
}
