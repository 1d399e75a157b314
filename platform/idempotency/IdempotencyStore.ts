/** What a finished mutation left behind: replayed byte-for-byte on a retry with the same key. */
export type StoredOutcome =
  | { kind: 'success'; data: unknown }
  | { kind: 'error'; message: string; extensions: Record<string, unknown> };

/** Records are scoped by who and what: one user's key can never replay another user's result. */
export interface IdempotencyScope {
  user: string;
  operation: string;
  key: string;
}

export type ClaimResult =
  /** Ours to execute. `takeover`: a previous attempt died mid-flight; reconcile before re-executing. */
  | { kind: 'claimed'; takeover: boolean }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' }
  | { kind: 'completed'; outcome: StoredOutcome };

export interface ClaimOptions {
  fingerprint: string;
  /** How long a finished record is kept (replay window). */
  ttlMs: number;
  /** How long an in-flight claim holds before a retry may take it over (process died). */
  leaseMs: number;
}

/**
 * Where idempotency records live. `claim` must be atomic: of many concurrent claims with one key,
 * exactly one gets `claimed`.
 */
export interface IdempotencyStore {
  claim(scope: IdempotencyScope, options: ClaimOptions): Promise<ClaimResult>;
  complete(
    scope: IdempotencyScope,
    fingerprint: string,
    outcome: StoredOutcome,
    ttlMs: number,
  ): Promise<void>;
  /** Drops an in-flight claim whose request failed before anything was sent (safe to retry as new). */
  release(scope: IdempotencyScope): Promise<void>;
  /**
   * Ends an in-flight claim without a stored result, after a failure that may or may not have been
   * applied upstream: the next claim is a takeover, so it reconciles before executing again.
   */
  abandon(scope: IdempotencyScope, fingerprint: string, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

export const recordKey = (scope: IdempotencyScope) =>
  `switchyard:idem:${encodeURIComponent(scope.user)}:${scope.operation}:${encodeURIComponent(scope.key)}`;
