export interface UpstreamOptions {
  /** Stable name: shows in errors (`extensions.upstream`), logs and metrics. */
  name: string;
  /** Origin plus optional base path, e.g. `http://127.0.0.1:4101` or `https://api.example.com/v1`. */
  baseUrl: string;
  /**
   * Deadline for one attempt, connection to last body byte. The kit is the only layer that owns time:
   * when it fires, the socket is destroyed so the upstream sees the client go away.
   * @default 2000
   */
  timeoutMs: number;
  /** Keep-alive connections to this upstream at most. @default 32 */
  maxConnections: number;
}
