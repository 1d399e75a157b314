import type Redis from 'ioredis';
import { whenReady } from '../../../platform/redis/whenReady';
import type { RefundRequestStore, StoredRefundRequest } from './RefundRequestStore';

/** Immediate refunds shared by every instance; Redis errors propagate (the caller codes them). */
export class RedisRefundRequestStore implements RefundRequestStore {
  constructor(
    private readonly redis: Redis,
    private readonly retentionMs: number,
    private readonly prefix: string,
  ) {}

  async save(entry: StoredRefundRequest): Promise<void> {
    await whenReady(this.redis, 1000);
    await this.redis.set(this.key(entry.request.id), JSON.stringify(entry), 'PX', this.retentionMs);
  }

  async find(id: string): Promise<StoredRefundRequest | null> {
    await whenReady(this.redis, 1000);
    const raw = await this.redis.get(this.key(id));
    return raw === null ? null : (JSON.parse(raw) as StoredRefundRequest);
  }

  async close(): Promise<void> {}

  private key(id: string): string {
    return `${this.prefix}:refund-request:${id}`;
  }
}
