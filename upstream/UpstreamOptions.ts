export interface BreakerOptions {
  /** Open when failures exceed this share of calls in the window. @default 50 */
  errorThresholdPercentage: number;
  /** Calls in the window before the breaker may open at all (opossum's default 0 opens on the first failure). @default 10 */
  volumeThreshold: number;
  /** Time open before one half-open trial. @default 10000 */
  resetTimeoutMs: number;
  /** Rolling statistics window. @default 10000 */
  rollingWindowMs: number;
}

export interface BulkheadOptions {
  /** Calls in flight at most. @default 64 */
  maxConcurrent: number;
  /** Calls waiting for a slot at most; beyond that, UPSTREAM_OVERLOADED at once. @default 64 */
  maxQueue: number;
}

export interface RetryOptions {
  /** Retries after the first attempt, for idempotent requests. @default 2 */
  maxRetries: number;
  /** Backoff base (full jitter, doubling). @default 50 */
  baseDelayMs: number;
  /** Backoff cap. @default 1000 */
  maxDelayMs: number;
  /** Retries in flight as a share of requests in flight. @default 20 */
  budgetPercent: number;
  /** Retries always allowed in flight, whatever the share. @default 3 */
  budgetMinConcurrent: number;
}

export interface StaleIfErrorOptions {
  /** Serve the last good read no older than this when the upstream fails; 0 = off. @default 0 */
  maxAgeMs: number;
  /** Entries kept at most (least recently used go first). @default 1000 */
  maxEntries: number;
}

export interface UpstreamOptions {
  /** Stable name: shows in errors (`extensions.upstream`), logs and metrics. */
  name: string;
  /** Origin plus optional base path, e.g. `http://127.0.0.1:4101` or `https://api.example.com/v1`. */
  baseUrl: string;
  /**
   * Further instances of the same service, each an origin serving `baseUrl`'s path: calls are spread
   * over all of them in turn, a retry goes to one the call has not tried, and one that refuses
   * connections is ejected for a while (ReplicaSet). @default none
   */
  replicaOrigins?: readonly string[];
  /**
   * Deadline for one attempt, connection to last body byte. When it fires the socket is destroyed,
   * so the upstream sees the client go away. @default 2000
   */
  timeoutMs: number;
  /** Deadline for the whole call, retries and backoff included. @default 5000 */
  requestTimeoutMs: number;
  /** Keep-alive connections to this upstream at most. @default 64 */
  maxConnections: number;
  breaker: BreakerOptions;
  bulkhead: BulkheadOptions;
  retry: RetryOptions;
  staleIfError: StaleIfErrorOptions;
}
