/** A token as its fetcher hands it over: the value, and when to stop using it. */
export interface FetchedToken<T> {
  value: T;
  /** Epoch ms (on the cache's clock) from which the token is fetched again instead of reused. */
  refreshAt: number;
}

/**
 * One credential shared by the whole process (an OAuth2 client-credentials token): fetched on first
 * use, reused until its `refreshAt`, dropped on `invalidate`. Single-flight: however many callers find
 * it missing or stale at once, exactly one fetch runs and all of them wait on it. A failed fetch is not
 * remembered: the next caller tries again. Used by the vendor's token and the LMS service identity.
 */
export class CachedToken<T> {
  private current: FetchedToken<T> | null = null;
  private pending: Promise<FetchedToken<T>> | null = null;

  constructor(
    private readonly fetch: () => Promise<FetchedToken<T>>,
    /** @default Date.now — injected in tests to move past expiry without waiting. */
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.value;
    // Not tied to any caller's AbortSignal: one caller giving up must not fail the others waiting.
    this.pending ??= this.fetch()
      .then((token) => (this.current = token))
      .finally(() => (this.pending = null));
    return (await this.pending).value;
  }

  /** An upstream refused `value`: forget it, unless a newer one has already replaced it. */
  invalidate(value: T): void {
    if (this.current?.value === value) this.current = null;
  }
}
