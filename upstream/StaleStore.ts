import type { UpstreamResponse } from './Upstream';

interface Entry {
  response: UpstreamResponse;
  storedAt: number;
}

/**
 * The last good answer per key, bounded (least recently used evicted first). In memory per process;
 * entries older than the allowed age are never served and are dropped when met.
 */
export class StaleStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  set(key: string, response: UpstreamResponse): void {
    this.entries.delete(key);
    this.entries.set(key, { response, storedAt: this.now() });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get(key: string, maxAgeMs: number): { response: UpstreamResponse; ageMs: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const ageMs = this.now() - entry.storedAt;
    if (ageMs > maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return { response: entry.response, ageMs };
  }

  get size(): number {
    return this.entries.size;
  }
}
