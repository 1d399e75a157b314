import type { RefundRequestStore, StoredRefundRequest } from './RefundRequestStore';

/** One process's immediate refunds (the embedded default), kept `retentionMs`. */
export class MemoryRefundRequestStore implements RefundRequestStore {
  private readonly entries = new Map<string, { entry: StoredRefundRequest; expiresAt: number }>();

  constructor(
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async save(entry: StoredRefundRequest): Promise<void> {
    const now = this.now();
    // Lazily, a few at a time, oldest first: memory stays bounded by the retention.
    let checked = 0;
    for (const [id, held] of this.entries) {
      if (checked++ > 20 || held.expiresAt > now) break;
      this.entries.delete(id);
    }
    this.entries.delete(entry.request.id);
    this.entries.set(entry.request.id, { entry, expiresAt: now + this.retentionMs });
  }

  async find(id: string): Promise<StoredRefundRequest | null> {
    const held = this.entries.get(id);
    return held && held.expiresAt > this.now() ? held.entry : null;
  }

  async close(): Promise<void> {}
}
