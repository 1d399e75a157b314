import type { UpstreamResponse } from './Upstream';
import type { StaleStore } from './StaleStore';

interface Entry {
  response: UpstreamResponse;
  storedAt: number;
}

/**
 * Per-process store, bounded (least recently used evicted first). Entries older than the allowed
 * age are never served and are dropped when met.
 */
export class MemoryStaleStore implements StaleStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  async set(key: string, response: UpstreamResponse): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { response, storedAt: this.now() });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  async get(
    key: string,
    maxAgeMs: number,
  ): Promise<{ response: UpstreamResponse; ageMs: number } | undefined> {
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
