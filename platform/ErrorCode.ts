/**
 * The error codes are the public contract (DESIGN.md "Errors"): clients branch on `extensions.code`.
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
  RATE_LIMITED = 'RATE_LIMITED',
  IDEMPOTENCY_KEY_REQUIRED = 'IDEMPOTENCY_KEY_REQUIRED',
  IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE',
  IDEMPOTENCY_KEY_MISMATCH = 'IDEMPOTENCY_KEY_MISMATCH',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** The order is not in a state that can be fulfilled (legacy 406). */
  ORDER_NOT_FULFILLABLE = 'ORDER_NOT_FULFILLABLE',
  /** The order has nothing left to refund (not complete, or already refunded). */
  NOTHING_TO_REFUND = 'NOTHING_TO_REFUND',
  /** Deferred delivery asked for, but no durable queue is configured (REDIS_URL unset). */
  DEFERRED_DELIVERY_UNAVAILABLE = 'DEFERRED_DELIVERY_UNAVAILABLE',
}

const known = new Set<string>(Object.values(ErrorCode));

export function isKnownErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && known.has(code);
}
