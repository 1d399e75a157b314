import { ErrorCode } from '../platform/ErrorCode';

/**
 * How one HTTP GraphQL request ended, for the golden signals (`switchyard_graphql_requests_total`):
 * `ok` answered without errors; `refused` turned away for what the caller sent or may do (a limit, a
 * bad token, an invalid document, a business rule), working as designed; `error` the service failed
 * it (an upstream down or slow, a bug). Only `error` spends the error budget.
 */
export type RequestOutcome = 'ok' | 'refused' | 'error';
export const REQUEST_OUTCOMES: readonly RequestOutcome[] = ['ok', 'refused', 'error'];

/** What the errors of a response were: none, only refusals, or at least one failure. */
export type ErrorsSeen = 'none' | 'refusals' | 'failures';

// Every code of ours sorted once, so a new code cannot be added without deciding which it is.
const OURS: Record<ErrorCode, Exclude<RequestOutcome, 'ok'>> = {
  [ErrorCode.UNAUTHENTICATED]: 'refused',
  [ErrorCode.FORBIDDEN]: 'refused',
  [ErrorCode.BAD_USER_INPUT]: 'refused',
  [ErrorCode.NOT_FOUND]: 'refused',
  [ErrorCode.RATE_LIMITED]: 'refused',
  [ErrorCode.IDEMPOTENCY_KEY_REQUIRED]: 'refused',
  [ErrorCode.IDEMPOTENCY_KEY_IN_USE]: 'refused',
  [ErrorCode.IDEMPOTENCY_KEY_MISMATCH]: 'refused',
  [ErrorCode.ORDER_NOT_FULFILLABLE]: 'refused',
  [ErrorCode.NOTHING_TO_REFUND]: 'refused',
  [ErrorCode.REFUND_SCOPE_AMBIGUOUS]: 'refused',
  [ErrorCode.REFUND_NOT_ELIGIBLE]: 'refused',
  [ErrorCode.ENTITLEMENT_NOT_FOUND]: 'refused',
  [ErrorCode.PERSISTED_QUERY_HASH_MISMATCH]: 'refused',
  [ErrorCode.PERSISTED_QUERY_TOO_LARGE]: 'refused',
  [ErrorCode.PERSISTED_QUERY_NOT_IN_LIST]: 'refused',
  [ErrorCode.REQUEST_BUDGET_EXCEEDED]: 'refused',
  [ErrorCode.COST_LIMIT_EXCEEDED]: 'refused',
  [ErrorCode.NOT_SUPPORTED_BY_BACKEND]: 'refused',
  // The service could not do what it admitted: these spend the error budget. An upstream's own
  // throttle counts too: the gateway's limits are there so that learners never meet it.
  [ErrorCode.UPSTREAM_UNAVAILABLE]: 'error',
  [ErrorCode.UPSTREAM_TIMEOUT]: 'error',
  [ErrorCode.UPSTREAM_ERROR]: 'error',
  [ErrorCode.UPSTREAM_OVERLOADED]: 'error',
  [ErrorCode.UPSTREAM_RATE_LIMITED]: 'error',
  [ErrorCode.INTERNAL_SERVER_ERROR]: 'error',
  [ErrorCode.DEFERRED_DELIVERY_UNAVAILABLE]: 'error',
};

// Apollo Server's own codes for a request it will not run; the persisted-query ones are the normal
// APQ handshake (the client sends the query text next).
const APOLLO_REFUSALS: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const isRefusal = (code: unknown): boolean =>
  typeof code === 'string' && (OURS[code as ErrorCode] === 'refused' || APOLLO_REFUSALS.has(code));

/** Sorts a response's errors by their `extensions.code`; a missing or unknown code is a failure. */
export function errorsSeen(errors: readonly { extensions?: { code?: unknown } }[] | undefined): ErrorsSeen {
  if (!errors || errors.length === 0) return 'none';
  return errors.every((e) => isRefusal(e.extensions?.code)) ? 'refusals' : 'failures';
}

/**
 * The outcome of a request from its status, whether its answer was written whole, and its errors
 * (unknown when the request never reached Apollo's pipeline: a body too large, bad JSON). An answer
 * cut short counts as an error: a slow server and an impatient caller look the same from here, and a
 * burn-rate alert that missed a slow outage would be the worse mistake.
 */
export function requestOutcome(
  status: number,
  completed: boolean,
  errors: ErrorsSeen | undefined,
): RequestOutcome {
  if (!completed || status >= 500) return 'error';
  if (status >= 400) return 'refused';
  if (errors === 'failures') return 'error';
  return errors === 'refusals' ? 'refused' : 'ok';
}
