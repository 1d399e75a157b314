/**
 * The error codes are the public contract (docs/api.md "Errors"): clients branch on `extensions.code`.
 * Add codes freely; never rename or remove one.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT',
  UPSTREAM_ERROR = 'UPSTREAM_ERROR',
  UPSTREAM_OVERLOADED = 'UPSTREAM_OVERLOADED',
  /**
   * The upstream throttled the caller (HTTP 429), e.g. the legacy API's 75 requests/minute per user.
   * `extensions.retryAfter` (seconds) says when to try again, when the upstream said so.
   */
  UPSTREAM_RATE_LIMITED = 'UPSTREAM_RATE_LIMITED',
  RATE_LIMITED = 'RATE_LIMITED',
  IDEMPOTENCY_KEY_REQUIRED = 'IDEMPOTENCY_KEY_REQUIRED',
  IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE',
  IDEMPOTENCY_KEY_MISMATCH = 'IDEMPOTENCY_KEY_MISMATCH',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** The order is not in a state that can be fulfilled (legacy 406). */
  ORDER_NOT_FULFILLABLE = 'ORDER_NOT_FULFILLABLE',
  /** The order has nothing left to refund (not complete, or already refunded). */
  NOTHING_TO_REFUND = 'NOTHING_TO_REFUND',
  /**
   * The refund, as the owning system would carry it out, would also refund orders the request did not
   * name (the legacy API refunds a course in every order holding it); `extensions.otherOrders` names them.
   */
  REFUND_SCOPE_AMBIGUOUS = 'REFUND_SCOPE_AMBIGUOUS',
  /**
   * The LMS's refund rule (`CourseEnrollment.refundable()`) refuses this refund; `extensions.reason` is
   * REFUND_WINDOW_CLOSED, CERTIFICATE_ISSUED or NO_VERIFIED_MODE, `extensions.courseRunKey` the course
   * run it applies to. Refused before any upstream write; staff may override.
   */
  REFUND_NOT_ELIGIBLE = 'REFUND_NOT_ELIGIBLE',
  /**
   * An entitlement line to refund has no entitlement in the LMS for its order and course
   * (`extensions.courseUuid`): ecommerce refunds an entitlement only by the LMS entitlement's uuid, so
   * nothing was written. Support can find the entitlement (or its absence) in the LMS.
   */
  ENTITLEMENT_NOT_FOUND = 'ENTITLEMENT_NOT_FOUND',
  /** Deferred delivery asked for, but no durable queue is configured (REDIS_URL unset). */
  DEFERRED_DELIVERY_UNAVAILABLE = 'DEFERRED_DELIVERY_UNAVAILABLE',
  /** An APQ registration whose sha256Hash is not the query's (Apollo Server raises it without a code). */
  PERSISTED_QUERY_HASH_MISMATCH = 'PERSISTED_QUERY_HASH_MISMATCH',
  /**
   * An APQ registration whose query text is over APQ_MAX_BYTES (comments and whitespace count):
   * nothing is stored; the same query sent without `extensions.persistedQuery` still runs.
   */
  PERSISTED_QUERY_TOO_LARGE = 'PERSISTED_QUERY_TOO_LARGE',
  /** PERSISTED_QUERIES=require and the operation is not in the manifest (by id or exact body). */
  PERSISTED_QUERY_NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST',
  /** The document asked for more upstream reads than one request may make (ORDERS_MAX_UPSTREAM_CALLS_PER_REQUEST). */
  REQUEST_BUDGET_EXCEEDED = 'REQUEST_BUDGET_EXCEEDED',
  /**
   * The operation's estimated cost (@cost/@listSize, docs/reference/demand-control.md) is over
   * GATEWAY_MAX_COST; `extensions.cost` holds `estimated` and `max`. Refused before any subgraph call.
   */
  COST_LIMIT_EXCEEDED = 'COST_LIMIT_EXCEEDED',
  /**
   * The operation exists, but the system owning this order cannot do it (fulfillOrder on a vendor
   * order: commercetools' state change enrolls nobody). Refused before any upstream write.
   */
  NOT_SUPPORTED_BY_BACKEND = 'NOT_SUPPORTED_BY_BACKEND',
}

const known = new Set<string>(Object.values(ErrorCode));

export function isKnownErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && known.has(code);
}
