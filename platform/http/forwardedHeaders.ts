/**
 * The request header a staff member sets to force an orders mode for one request (`legacy`, `vendor`
 * or `merged`). The gateway forwards it; the orders subgraph reads it, and its rollout layer honours it
 * for staff only. Here, below both, because the two agree on it over HTTP and import nothing of each other.
 */
export const ORDERS_MODE_OVERRIDE_HEADER = 'x-switchyard-orders-backend';

/** The client's key for a mutation; forwarded, and enforced where the upstream call happens. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Request headers the gateway passes on to subgraphs; anything else stays at the edge. */
export const FORWARDED_HEADERS = [IDEMPOTENCY_KEY_HEADER, ORDERS_MODE_OVERRIDE_HEADER] as const;
