import { env, parseEnv, type Env } from '../../../platform/config/parseEnv';
import { z } from 'zod';
import { ConfigError } from '../../../platform/config/ConfigError';
import { needsHashTags } from '../../../platform/redis/redisTarget';

export interface MutationsConfig {
  /** Redis for idempotency records and the deferred queue; null = in-memory records, no deferred delivery. */
  redisUrl: string | null;
  /** How long a finished mutation's result is replayed. @default 24 h (Stripe's window) */
  idempotencyTtlMs: number;
  /**
   * How long an in-flight claim holds before a retry may take over (the process died). Above the
   * longest upstream write (request deadline 5 s) so a slow, live attempt is never taken over.
   * @default 15000
   */
  idempotencyLeaseMs: number;
  /** Deferred refunds are retried until this old, then marked FAILED. @default 24 h */
  refundMaxAgeMs: number;
  refundRetryBaseMs: number;
  refundRetryMaxMs: number;
  /** Prefix of the BullMQ keys in Redis (lets deployments or test runs share one Redis). @default 'switchyard' */
  queuePrefix: string;
  /** A killed worker's job is handed to another worker after this (BullMQ lock duration). @default 30000 */
  workerLockMs: number;
  /** The worker process's HTTP port (`/healthz`, `/readyz`, `/metrics`, `/status`); 0 picks a free one. @default 4004 */
  workerPort: number;
}

export function parseMutationsConfig(source: Env): Readonly<MutationsConfig> {
  const parsed = parseEnv(
    {
      REDIS_URL: env.redisUrl().optional(),
      IDEMPOTENCY_TTL_MS: env.positiveInt(24 * 3_600_000, 30 * 24 * 3_600_000),
      IDEMPOTENCY_LEASE_MS: env.positiveInt(15_000, 3_600_000),
      REFUND_MAX_AGE_MS: env.positiveInt(24 * 3_600_000, 30 * 24 * 3_600_000),
      REFUND_RETRY_BASE_MS: env.positiveInt(1000, 3_600_000),
      REFUND_RETRY_MAX_MS: env.positiveInt(300_000, 24 * 3_600_000),
      REFUND_QUEUE_PREFIX: z.string().min(1).optional(),
      REFUND_WORKER_LOCK_MS: env.positiveInt(30_000, 3_600_000),
      REFUND_WORKER_PORT: env.port(4004),
    },
    source,
  );
  // BullMQ's scripts touch several keys of a queue at once, which a Redis Cluster allows only within
  // one hash slot: there the prefix must carry a hash tag (`{…}`), and that is its default.
  const cluster = parsed.REDIS_URL !== undefined && needsHashTags(parsed.REDIS_URL);
  const queuePrefix = parsed.REFUND_QUEUE_PREFIX ?? (cluster ? '{switchyard}' : 'switchyard');
  if (cluster && !/\{[^}]+\}/.test(queuePrefix)) {
    throw new ConfigError(
      `REFUND_QUEUE_PREFIX="${queuePrefix}" needs a hash tag on a Redis Cluster, e.g. {switchyard}: BullMQ keeps a queue's keys in one slot`,
    );
  }
  return Object.freeze({
    redisUrl: parsed.REDIS_URL ?? null,
    idempotencyTtlMs: parsed.IDEMPOTENCY_TTL_MS,
    idempotencyLeaseMs: parsed.IDEMPOTENCY_LEASE_MS,
    refundMaxAgeMs: parsed.REFUND_MAX_AGE_MS,
    refundRetryBaseMs: parsed.REFUND_RETRY_BASE_MS,
    refundRetryMaxMs: parsed.REFUND_RETRY_MAX_MS,
    queuePrefix,
    workerLockMs: parsed.REFUND_WORKER_LOCK_MS,
    workerPort: parsed.REFUND_WORKER_PORT,
  });
}
