import { GraphQLError } from 'graphql';
import { isUpstreamError, type UpstreamError } from '../upstream/UpstreamError';
import { ErrorCode } from '../platform/ErrorCode';
import { codedError } from '../platform/codedError';
import { fingerprint } from './fingerprint';
import type { IdempotencyScope, IdempotencyStore, StoredOutcome } from './IdempotencyStore';
import { ReplayedError } from './ReplayedError';

export interface IdempotentCall<T> {
  store: IdempotencyStore;
  scope: IdempotencyScope;
  /** The operation's arguments: the same key with other arguments is IDEMPOTENCY_KEY_MISMATCH. */
  args: unknown;
  ttlMs: number;
  leaseMs: number;
  execute: () => Promise<T>;
  /**
   * May this caller make this call at all (ownership)? Runs once the key is claimed, before
   * `reconcile` and `execute`, on a takeover too: the dead attempt may have died before (or while)
   * authorizing — a lease also runs out under a slow check — so nothing proves it passed. A refusal
   * of a fresh claim releases it, so a refused request leaves no record and a replay of a completed
   * one never depends on the upstream being up; a refused takeover stays taken over (see authorize).
   */
  authorize?: () => Promise<void>;
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
  /**
   * `execute` is itself safe to repeat (enqueueing under a job id derived from the key): a failure is
   * never the stored answer, the claim is released, and a retry simply executes again.
   */
  repeatable?: boolean;
}

export interface IdempotentResult<T> {
  data: T;
  replayed: boolean;
}

/**
 * Executes a state-changing call at most once per (user, operation, key): the first result — success
 * or error — is stored and replayed (an error as a ReplayedError); a retry while in flight is
 * IDEMPOTENCY_KEY_IN_USE; other arguments are IDEMPOTENCY_KEY_MISMATCH. Fails closed when the store
 * is down.
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
      return execute(call, { print, token: claim.token, takeover: claim.takeover });
  }
}

interface Claim {
  print: string;
  token: string;
  takeover: boolean;
}

async function execute<T>(call: IdempotentCall<T>, claim: Claim): Promise<IdempotentResult<T>> {
  // Fresh claim or takeover alike: whether the dead attempt ever passed this check is unknown.
  if (call.authorize) await authorize(call, claim);
  const found = claim.takeover ? await reconcile(call, claim) : null;
  let outcome: StoredOutcome;
  let data: T | undefined;
  try {
    data = found ?? (await call.execute());
    outcome = { kind: 'success', data };
  } catch (error) {
    if (call.repeatable) {
      const graphqlError = toCodedError(error);
      await call.store.release(call.scope, claim.token).catch(cleanupFailed(call, 'released'));
      call.audit('attempt failed, claim released', { code: graphqlError.extensions.code });
      throw graphqlError;
    }
    if (isNotSent(error)) {
      // Provably never reached the upstream. A fresh claim is forgotten, so a retry is a fresh
      // attempt; a taken-over one stays taken over, so the next retry looks upstream again first
      // (one lookup, and never wrong, whatever the dead attempt did).
      await giveUp(call, claim);
      call.audit(claim.takeover ? 'not sent, still taken over' : 'not sent, claim released', {
        code: error.code,
      });
      throw error.toGraphQLError();
    }
    const graphqlError = toCodedError(error);
    if (call.retryableErrors === 'abandon' && graphqlError.extensions.retryable === true) {
      await call.store
        .abandon(call.scope, claim.token, claim.print, call.ttlMs)
        .catch(cleanupFailed(call, 'abandoned'));
      call.audit('attempt failed, will reconcile on retry', { code: graphqlError.extensions.code });
      throw graphqlError;
    }
    outcome = { kind: 'error', message: graphqlError.message, extensions: { ...graphqlError.extensions } };
  }
  try {
    const stored = await call.store.complete(call.scope, claim.token, claim.print, outcome, call.ttlMs);
    // Our lease ran out mid-call and a retry took over: its record stands; this caller still gets
    // what actually happened.
    if (!stored) call.audit('result not stored', { reason: 'claim taken over by a retry' });
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

/**
 * The takeover's look upstream. If the look itself fails (breaker open, overloaded, refused, timed
 * out), what the dead attempt did is still unknown: the claim stays taken over — never released, or a
 * retry would execute blind and could refund twice — and nothing is stored, so the next retry looks
 * again.
 */
async function reconcile<T>(call: IdempotentCall<T>, claim: Claim): Promise<T | null> {
  try {
    const found = await call.reconcile();
    call.audit('takeover reconciled', { alreadyApplied: found !== null });
    return found;
  } catch (error) {
    const graphqlError = toCodedError(error);
    await call.store
      .abandon(call.scope, claim.token, claim.print, call.ttlMs)
      .catch(cleanupFailed(call, 'abandoned'));
    call.audit('reconcile failed, will reconcile on retry', { code: graphqlError.extensions.code });
    throw graphqlError;
  }
}

/**
 * Refused (or could not tell). A fresh claim did nothing, so nothing is kept, as if the key was never
 * used. A takeover is abandoned instead, never released: its dead attempt may have passed the check
 * and written upstream before the answer changed (or the check failed only for now), so the next
 * retry must still authorize and then reconcile, never execute blind. Nothing new is recorded: the
 * record is the dead attempt's.
 */
async function authorize<T>(call: IdempotentCall<T>, claim: Claim): Promise<void> {
  try {
    await call.authorize!();
  } catch (error) {
    const graphqlError = toCodedError(error);
    await giveUp(call, claim);
    call.audit(claim.takeover ? 'refused, still taken over' : 'refused', {
      code: graphqlError.extensions.code,
    });
    throw graphqlError;
  }
}

/**
 * A release or abandon that fails (the store went away mid-request) is logged, never thrown: the
 * request's own answer matters more. Nothing is lost by it: the claim is held only until its lease
 * runs out, and the retry after that takes over and reconciles before executing.
 */
/**
 * Lets the key go after an attempt that changed nothing upstream: a fresh claim is released (a retry is
 * a fresh attempt); a taken-over one is abandoned but stays taken over, so the next retry looks
 * upstream again first, since what the dead attempt did is still unknown.
 */
async function giveUp<T>(call: IdempotentCall<T>, claim: Claim): Promise<void> {
  if (claim.takeover)
    await call.store
      .abandon(call.scope, claim.token, claim.print, call.ttlMs)
      .catch(cleanupFailed(call, 'abandoned'));
  else await call.store.release(call.scope, claim.token).catch(cleanupFailed(call, 'released'));
}

function cleanupFailed<T>(call: IdempotentCall<T>, action: 'released' | 'abandoned') {
  return (error: unknown): void =>
    call.audit(`claim not ${action}`, { err: String((error as Error)?.message ?? error) });
}

/** Decided where the failure was raised (UpstreamErrorDetail.neverSent), never here. */
function isNotSent(error: unknown): error is UpstreamError {
  return isUpstreamError(error) && error.detail.neverSent === true;
}

function replay<T>(outcome: StoredOutcome): IdempotentResult<T> {
  if (outcome.kind === 'error') throw new ReplayedError(outcome.message, outcome.extensions);
  return { data: outcome.data as T, replayed: true };
}

function toCodedError(error: unknown): GraphQLError {
  if (isUpstreamError(error)) return error.toGraphQLError();
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string') return error;
  return codedError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}
