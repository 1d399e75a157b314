import { GraphQLError } from 'graphql';
import { isUpstreamError } from '../../upstream/UpstreamError';
import { ErrorCode } from '../ErrorCode';
import { codedError } from '../codedError';
import { fingerprint } from './fingerprint';
import type { IdempotencyScope, IdempotencyStore, StoredOutcome } from './IdempotencyStore';

export interface IdempotentCall<T> {
  store: IdempotencyStore;
  scope: IdempotencyScope;
  /** The operation's arguments: the same key with other arguments is IDEMPOTENCY_KEY_MISMATCH. */
  args: unknown;
  ttlMs: number;
  leaseMs: number;
  execute: () => Promise<T>;
  /**
   * After a takeover (the previous attempt's process died mid-flight): what the upstream already did
   * for this request, or null if nothing — so a crash between "upstream applied" and "result stored"
   * never applies the change twice.
   */
  reconcile: () => Promise<T | null>;
  audit: (event: string, fields?: Record<string, unknown>) => void;
  /**
   * What to do with a retryable failure. `store` (default, synchronous callers): the error is the
   * request's answer and is replayed. `abandon` (a queue that will retry): nothing is stored and the
   * next attempt reconciles first, since the failed one may have been applied.
   */
  retryableErrors?: 'store' | 'abandon';
}

export interface IdempotentResult<T> {
  data: T;
  replayed: boolean;
}

/**
 * Executes a state-changing call at most once per (user, operation, key): the first result — success
 * or error — is stored and replayed; a retry while in flight is IDEMPOTENCY_KEY_IN_USE; other
 * arguments are IDEMPOTENCY_KEY_MISMATCH. Fails closed when the store is down.
 */
export async function runIdempotent<T>(call: IdempotentCall<T>): Promise<IdempotentResult<T>> {
  const print = fingerprint(call.scope.operation, call.args);
  let claim;
  try {
    claim = await call.store.claim(call.scope, {
      fingerprint: print,
      ttlMs: call.ttlMs,
      leaseMs: call.leaseMs,
    });
  } catch (error) {
    call.audit('idempotency store unavailable', { err: String((error as Error)?.message ?? error) });
    throw codedError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      'The idempotency store is unavailable; nothing was executed',
      {
        upstream: 'idempotency-store',
        retryable: true,
      },
    );
  }
  switch (claim.kind) {
    case 'mismatch':
      call.audit('key mismatch');
      throw codedError(
        ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
        'This Idempotency-Key was used with different arguments',
        { retryable: false },
      );
    case 'in_flight':
      call.audit('key in use');
      throw codedError(
        ErrorCode.IDEMPOTENCY_KEY_IN_USE,
        'A request with this Idempotency-Key is still in progress',
        { retryable: true },
      );
    case 'completed':
      call.audit('replayed', { outcome: claim.outcome.kind });
      return replay<T>(claim.outcome);
    case 'claimed':
      return execute(call, print, claim.takeover);
  }
}

async function execute<T>(
  call: IdempotentCall<T>,
  print: string,
  takeover: boolean,
): Promise<IdempotentResult<T>> {
  let outcome: StoredOutcome;
  let data: T | undefined;
  try {
    const found = takeover ? await call.reconcile() : null;
    if (takeover) call.audit('takeover reconciled', { alreadyApplied: found !== null });
    data = found ?? (await call.execute());
    outcome = { kind: 'success', data };
  } catch (error) {
    if (
      isUpstreamError(error) &&
      (error.detail.breakerOpen || error.detail.localOverload || error.detail.cause === 'ECONNREFUSED')
    ) {
      // Provably never reached the upstream: forget the claim so a retry is a fresh attempt.
      await call.store.release(call.scope).catch(() => undefined);
      call.audit('not sent, claim released', { code: error.code });
      throw error.toGraphQLError();
    }
    const graphqlError = toCodedError(error);
    if (call.retryableErrors === 'abandon' && graphqlError.extensions.retryable === true) {
      await call.store.abandon(call.scope, print, call.ttlMs).catch(() => undefined);
      call.audit('attempt failed, will reconcile on retry', { code: graphqlError.extensions.code });
      throw graphqlError;
    }
    outcome = { kind: 'error', message: graphqlError.message, extensions: { ...graphqlError.extensions } };
  }
  try {
    await call.store.complete(call.scope, print, outcome, call.ttlMs);
  } catch (storeError) {
    // The work is done; a retry after the lease will reconcile against the upstream instead of redoing it.
    call.audit('result not stored', { err: String((storeError as Error)?.message ?? storeError) });
  }
  call.audit('outcome', {
    outcome: outcome.kind,
    code: outcome.kind === 'error' ? outcome.extensions.code : undefined,
  });
  if (outcome.kind === 'error') throw new GraphQLError(outcome.message, { extensions: outcome.extensions });
  return { data: data as T, replayed: false };
}

function replay<T>(outcome: StoredOutcome): IdempotentResult<T> {
  if (outcome.kind === 'error') {
    throw new GraphQLError(outcome.message, { extensions: { ...outcome.extensions, replayed: true } });
  }
  return { data: outcome.data as T, replayed: true };
}

function toCodedError(error: unknown): GraphQLError {
  if (isUpstreamError(error)) return error.toGraphQLError();
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string') return error;
  return codedError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}
