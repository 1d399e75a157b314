import type Redis from 'ioredis';
import type { RefundLedger } from '../port/RefundLedger';

/** Kept as long as a learner could buy the same course again and ask for a refund of it. */
const RETENTION_SECONDS = 2 * 365 * 24 * 3600;

/** The ledger every instance and the worker share: one set of course runs per order number. */
export class RedisRefundLedger implements RefundLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async refunded(orderNumber: string): Promise<string[]> {
    return this.redis.smembers(this.key(orderNumber));
  }

  async record(orderNumber: string, courseRunKeys: readonly string[]): Promise<void> {
    if (courseRunKeys.length === 0) return;
    const key = this.key(orderNumber);
    await this.redis
      .multi()
      .sadd(key, ...courseRunKeys)
      .expire(key, RETENTION_SECONDS)
      .exec();
  }

  private key(orderNumber: string): string {
    return `${this.prefix}:refunded:{${orderNumber}}`;
  }
}
