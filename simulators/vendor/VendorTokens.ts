import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/**
 * Access tokens of the simulated OAuth server. Time comes from an injected clock, so tests move it
 * instead of waiting; `expireAll` is the "every token died at once" knob (a key rotation, a revoked
 * client), which a caller only discovers through a 401.
 */
export class VendorTokens {
  private readonly expiresAt = new Map<string, number>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  issue(): IssuedToken {
    this.forgetExpired();
    const accessToken = randomBytes(24).toString('base64url');
    this.expiresAt.set(accessToken, this.now() + this.ttlSeconds * 1000);
    return { accessToken, expiresInSeconds: this.ttlSeconds };
  }

  isValid(token: string): boolean {
    const expiresAt = this.expiresAt.get(token);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  expireAll(): void {
    this.expiresAt.clear();
  }

  /** Keeps a long-running simulator (npm start, the benchmark) from growing without bound. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.expiresAt) if (expiresAt <= now) this.expiresAt.delete(token);
  }
}
