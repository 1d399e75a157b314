import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { createRedisClient } from '../../../platform/redis/createRedisClient';
import type { Logger } from 'pino';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import type { IdempotencyStore } from '../../../idempotency/IdempotencyStore';
import { MemoryIdempotencyStore } from '../../../idempotency/MemoryIdempotencyStore';
import { RedisIdempotencyStore } from '../../../idempotency/RedisIdempotencyStore';
import { REFUND_RETENTION_MS } from '../queue/RefundJob';
import { RefundQueue } from '../queue/RefundQueue';
import type { MutationsConfig } from '../config/mutationsConfig';
import type { OrderWrites } from '../port/OrderWrites';
import type { RefundLedger } from '../port/RefundLedger';
import { MemoryRefundLedger } from './MemoryRefundLedger';
import { MemoryRefundRequestStore } from './MemoryRefundRequestStore';
import { RedisRefundLedger } from './RedisRefundLedger';
import { OrderMutations, type OrderMutationsDeps, type ServiceIdentitySource } from './OrderMutations';
import { RedisRefundRequestStore } from './RedisRefundRequestStore';
import type { RefundRequestStore } from './RefundRequestStore';

export interface MutationInfra {
  mutations: OrderMutations;
  close(): Promise<void>;
}

/**
 * Idempotency store, refund queue and immediate refund requests: Redis when REDIS_URL is set (shared
 * by every instance), else in memory with no deferred delivery. Redis clients fail fast when disconnected (no offline queue),
 * so a mutation fails closed at once instead of hanging; reads never touch Redis.
 */
export function createMutationInfra(
  config: MutationsConfig,
  writesFor: (n: string) => OrderWrites | null,
  logger: Logger,
  service: ServiceIdentitySource,
  eligibility: OrderMutationsDeps['eligibility'],
  autoApprove = false,
): MutationInfra {
  const clients: Redis[] = [];
  const connect = (purpose: string, extra: RedisOptions = {}) => {
    const client = createRedisClient(config.redisUrl!, purpose, logger, extra);
    clients.push(client);
    return client;
  };
  let store: IdempotencyStore;
  let refundQueue: RefundQueue | null = null;
  let refundRequests: RefundRequestStore;
  let ledger: RefundLedger;
  if (config.redisUrl) {
    const records = connect('idempotency', { maxRetriesPerRequest: 1 });
    store = new RedisIdempotencyStore(records);
    refundRequests = new RedisRefundRequestStore(records, REFUND_RETENTION_MS, config.queuePrefix);
    ledger = new RedisRefundLedger(records, config.queuePrefix);
    // BullMQ wants maxRetriesPerRequest null on its connections.
    refundQueue = new RefundQueue({
      connection: connect('refund-queue', { maxRetriesPerRequest: null }),
      prefix: config.queuePrefix,
    });
  } else {
    store = new MemoryIdempotencyStore();
    refundRequests = new MemoryRefundRequestStore(REFUND_RETENTION_MS);
    ledger = new MemoryRefundLedger();
  }
  const mutations = new OrderMutations({
    writesFor: (number) => {
      const writes = writesFor(number);
      if (!writes) throw codedError(ErrorCode.NOT_FOUND, 'No such order');
      return writes;
    },
    store,
    ttlMs: config.idempotencyTtlMs,
    leaseMs: config.idempotencyLeaseMs,
    refundQueue,
    refundRequests,
    logger,
    service,
    eligibility,
    autoApprove,
    ledger,
  });
  return {
    mutations,
    close: async () => {
      await refundQueue?.close().catch(() => undefined);
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
