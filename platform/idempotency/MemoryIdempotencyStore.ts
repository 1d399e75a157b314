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
  expiresAt: number;
}

/**
 * The embedded default: one process's truth. Fine for a single instance; several instances need the
 * Redis store (a retry may land on another instance).
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, MemoryRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(scope: IdempotencyScope, options: ClaimOptions): Promise<ClaimResult> {
    const key = recordKey(scope);
    const existing = this.records.get(key);
    const now = this.now();
    if (existing && existing.expiresAt > now) {
      if (existing.fingerprint !== options.fingerprint) return { kind: 'mismatch' };
      if (existing.outcome) return { kind: 'completed', outcome: existing.outcome };
      return { kind: 'in_flight' };
    }
    const takeover = existing !== undefined && existing.outcome === null;
    this.records.set(key, {
      fingerprint: options.fingerprint,
      outcome: null,
      expiresAt: now + options.leaseMs,
    });
    this.sweep(now);
    return { kind: 'claimed', takeover };
  }

  async complete(
    scope: IdempotencyScope,
    fingerprint: string,
    outcome: StoredOutcome,
    ttlMs: number,
  ): Promise<void> {
    this.records.set(recordKey(scope), { fingerprint, outcome, expiresAt: this.now() + ttlMs });
  }

  async abandon(scope: IdempotencyScope, fingerprint: string): Promise<void> {
    this.records.set(recordKey(scope), { fingerprint, outcome: null, expiresAt: this.now() });
  }

  async release(scope: IdempotencyScope): Promise<void> {
    this.records.delete(recordKey(scope));
  }

  async close(): Promise<void> {}

  // Expired records go lazily, a few at a time, so memory stays bounded by the replay window.
  private sweep(now: number): void {
    let checked = 0;
    for (const [key, record] of this.records) {
      if (checked++ > 20) break;
      // An expired in-flight record is kept: its presence is what tells a later retry to reconcile.
      if (record.expiresAt <= now && record.outcome) this.records.delete(key);
    }
  }
}
