export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface UpstreamRequest {
  method: HttpMethod;
  /** Path relative to the upstream's base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string | undefined>;
  /** Serialised as JSON when present. */
  body?: unknown;
  /** The caller's cancellation (request deadline, client gone). */
  signal?: AbortSignal;
}

export interface UpstreamResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; `undefined` for an empty body. */
  body: T;
}

/** The one way code in Switchyard talks to another service. */
export interface Upstream {
  readonly name: string;
  /**
   * Resolves for 2xx-4xx (4xx are answers, the caller maps them); rejects with UpstreamError for
   * 5xx, 429, timeouts, connection failures and malformed bodies.
   */
  request<T = unknown>(request: UpstreamRequest): Promise<UpstreamResponse<T>>;
  close(): Promise<void>;
}
