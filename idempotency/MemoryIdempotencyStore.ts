import { randomUUID } from 'node:crypto';
import type {
  ClaimOptions,
  ClaimResult,
  IdempotencyScope,
  IdempotencyStore,
  StoredOutcome,
} from './IdempotencyStore';
import { recordKey } from './IdempotencyStore';

interface MemoryRecord {
  fingerprint: string;
  outcome: StoredOutcome | null;
  /** In flight: the claim holds until then; after it, a retry may take over (the attempt died). */
  leaseEnd: number;
  /**
   * When the record is forgotten: the replay window. An in-flight record lives as long, so a retry
   * long after a crash still sees it and reconciles, as with the Redis store.
   */
  expiresAt: number;
  /** The claim that wrote it; only that claim may complete, release or abandon it. */
  token: string;
}

/**
 * The embedded default: one process's truth. Fine for a single instance; several instances need the
 * Redis store (a retry may land on another instance).
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, MemoryRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records held, expired ones not yet swept included: what the memory bound is about. */
  get size(): number {
    return this.records.size;
  }

  async claim(scope: IdempotencyScope, options: ClaimOptions): Promise<ClaimResult> {
    const key = recordKey(scope);
    const now = this.now();
    this.sweep(now);
    const existing = this.live(key, now);
    if (existing) {
      if (existing.fingerprint !== options.fingerprint) return { kind: 'mismatch' };
      if (existing.outcome) return { kind: 'completed', outcome: existing.outcome };
      if (existing.leaseEnd > now) return { kind: 'in_flight' };
    }
    const token = randomUUID();
    this.records.set(key, {
      fingerprint: options.fingerprint,
      outcome: null,
      leaseEnd: now + options.leaseMs,
      expiresAt: now + options.ttlMs,
      token,
    });
    return { kind: 'claimed', takeover: existing !== undefined, token };
  }

  async complete(
    scope: IdempotencyScope,
    token: string,
    fingerprint: string,
    outcome: StoredOutcome,
    ttlMs: number,
  ): Promise<boolean> {
    return this.replaceIfOwned(scope, token, (now) => ({
      fingerprint,
      outcome,
      leaseEnd: 0,
      expiresAt: now + ttlMs,
      token,
    }));
  }

  async abandon(
    scope: IdempotencyScope,
    token: string,
    fingerprint: string,
    ttlMs: number,
  ): Promise<boolean> {
    // Lease over at once: the next claim is a takeover, which reconciles before executing.
    return this.replaceIfOwned(scope, token, (now) => ({
      fingerprint,
      outcome: null,
      leaseEnd: 0,
      expiresAt: now + ttlMs,
      token,
    }));
  }

  async release(scope: IdempotencyScope, token: string): Promise<boolean> {
    return this.replaceIfOwned(scope, token, () => null);
  }

  async close(): Promise<void> {}

  private replaceIfOwned(
    scope: IdempotencyScope,
    token: string,
    next: (now: number) => MemoryRecord | null,
  ): boolean {
    const key = recordKey(scope);
    const now = this.now();
    if (this.live(key, now)?.token !== token) return false;
    const record = next(now);
    if (record) this.records.set(key, record);
    else this.records.delete(key);
    return true;
  }

  private live(key: string, now: number): MemoryRecord | undefined {
    const record = this.records.get(key);
    return record && record.expiresAt > now ? record : undefined;
  }

  // Expired records go lazily, a few at a time, so memory stays bounded by the replay window.
  private sweep(now: number): void {
    let checked = 0;
    for (const [key, record] of this.records) {
      if (checked++ > 20) break;
      if (record.expiresAt <= now) this.records.delete(key);
    }
  }
}
