/**
 * Envoy-style retry budget: retries in flight may not exceed `percent` of requests in flight, with a
 * floor of `minConcurrent` so a quiet upstream can still be retried. Under an outage this keeps
 * retries to a bounded share of the load instead of multiplying it.
 */
export class RetryBudget {
  private requests = 0;
  private retries = 0;

  constructor(
    private readonly percent: number,
    private readonly minConcurrent: number,
  ) {}

  requestStarted(): void {
    this.requests++;
  }

  requestFinished(): void {
    this.requests--;
  }

  /** Takes a retry slot if the budget allows; the caller must `release()` it after the attempt. */
  tryAcquire(): boolean {
    const allowed = Math.max(this.minConcurrent, Math.floor((this.requests * this.percent) / 100));
    if (this.retries >= allowed) return false;
    this.retries++;
    return true;
  }

  release(): void {
    this.retries--;
  }
}
