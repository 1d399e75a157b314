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
  /**
   * Ours to execute. `takeover`: a previous attempt died mid-flight; reconcile before re-executing.
   * `token` names this claim: only its holder may complete, release or abandon it.
   */
  | { kind: 'claimed'; takeover: boolean; token: string }
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
 * exactly one gets `claimed`. The writes take the claim's token and change nothing (answering
 * false) once the record is no longer that claim's: a slow attempt that outlived its lease must not
 * overwrite, or delete, what the attempt that took over has recorded since.
 */
export interface IdempotencyStore {
  claim(scope: IdempotencyScope, options: ClaimOptions): Promise<ClaimResult>;
  complete(
    scope: IdempotencyScope,
    token: string,
    fingerprint: string,
    outcome: StoredOutcome,
    ttlMs: number,
  ): Promise<boolean>;
  /** Drops an in-flight claim whose request failed before anything was sent (safe to retry as new). */
  release(scope: IdempotencyScope, token: string): Promise<boolean>;
  /**
   * Ends an in-flight claim without a stored result, after a failure that may or may not have been
   * applied upstream: the next claim is a takeover, so it reconciles before executing again.
   */
  abandon(scope: IdempotencyScope, token: string, fingerprint: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export const recordKey = (scope: IdempotencyScope) =>
  `switchyard:idem:${encodeURIComponent(scope.user)}:${scope.operation}:${encodeURIComponent(scope.key)}`;
