export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface UpstreamRequest {
  method: HttpMethod;
  /** Path relative to the upstream's base URL, starting with `/`. */
  path: string;
  /**
   * `path` with its variable parts named, e.g. `/api/v2/orders/{number}/`: what traces record, so one
   * endpoint is one span name. @default `path` without its query (a query is never recorded)
   */
  route?: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string | undefined>;
  /** Serialised as JSON when present (a string is sent as-is, e.g. a form body). */
  body?: unknown;
  /**
   * Safe to send twice. Defaults to true for GET, false otherwise. Only idempotent requests are
   * retried after bytes may have reached the upstream.
   */
  idempotent?: boolean;
  /**
   * Whose data this is, for stale-if-error: the verified username the answer was read for. A stored
   * answer is only ever served to the same scope (and the same method and path). Not the credential:
   * a learner's refreshed token, or the rotated service token, reads the same data. Requests without
   * a scope are never served stale.
   */
  staleScope?: string;
  /** The caller's cancellation (request deadline, client gone). */
  signal?: AbortSignal;
}

export interface UpstreamResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; `undefined` for an empty body. */
  body: T;
  /** Set when this answer is a stored one served because the upstream failed (stale-if-error). */
  stale?: { ageMs: number };
}

export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** What an operator needs to see about one upstream at a glance (`/status`). */
/** One instance of a service with several (UpstreamOptions.replicaOrigins). */
export interface ReplicaStatus {
  origin: string;
  /** Skipped by new calls until this time after refusing connections; null when in rotation. */
  ejectedUntil: string | null;
}

export interface UpstreamStatus {
  name: string;
  breaker: BreakerState;
  inFlight: number;
  queued: number;
  rejectedOverload: number;
  /** The last failed call on the wire (not the breaker's own fast-fail rejections), or null. */
  lastError: { code: string; message: string; at: string } | null;
  /** Set when the service has several instances: which are out of rotation after refusing connections. */
  instances?: ReplicaStatus[];
}

/** The one way code in Switchyard talks to another service. */
export interface Upstream {
  readonly name: string;
  /**
   * Resolves for 2xx-4xx (4xx are answers, the caller maps them); rejects with UpstreamError for
   * 5xx, timeouts, connection failures and malformed bodies, and for 429 with UPSTREAM_RATE_LIMITED
   * (never retried, never counted by the breaker; `retryAfterSeconds` from `Retry-After`).
   */
  request<T = unknown>(request: UpstreamRequest): Promise<UpstreamResponse<T>>;
  status(): UpstreamStatus;
  close(): Promise<void>;
}
