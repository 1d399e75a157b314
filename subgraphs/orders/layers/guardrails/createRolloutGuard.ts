import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createRedisClient } from '../../../../platform/redis/createRedisClient';
import type { GuardrailsConfig } from '../../config/guardrailsConfig';
import { createGuardMetrics } from './GuardMetrics';
import { MAX_BY_CHARS } from './HaltRecord';
import { MemoryHaltStore } from './HaltStore';
import { RedisHaltStore } from './RedisHaltStore';
import { RedisWindowStore } from './RedisWindowStore';
import { RolloutGuard, type ActiveRollout } from './RolloutGuard';

export interface RolloutGuardDeps {
  logger: Logger;
  registry: Registry;
  /** REDIS_URL: the halt is shared by every instance; null keeps it in this process. */
  redisUrl: string | null;
  rollout: () => Readonly<ActiveRollout> | null;
  /** @default `<hostname>:<pid>` */
  instance?: string;
  now?: () => number;
}

/** The guard with its store (Redis when REDIS_URL is set, else memory) and its metrics; not started. */
export function createRolloutGuard(config: Readonly<GuardrailsConfig>, deps: RolloutGuardDeps): RolloutGuard {
  // Its own connection: a poll must never queue behind a slow idempotency or queue command. No resend
  // of unanswered commands after a reconnect: the next poll is the retry, and a resent window exchange
  // would add counts that the poll (seeing the failure) keeps pending and sends again.
  const redis = deps.redisUrl
    ? createRedisClient(deps.redisUrl, 'rollout-guard', deps.logger, {
        maxRetriesPerRequest: 1,
        autoResendUnfulfilledCommands: false,
      })
    : null;
  const now = deps.now ?? Date.now;
  // The halt store closes the connection; the fleet windows share it (one round trip each per poll).
  const store = redis ? new RedisHaltStore(redis, config.redisKey) : new MemoryHaltStore();
  const windows = redis ? new RedisWindowStore(redis, config.redisKey, now) : undefined;
  return new RolloutGuard({
    config,
    store,
    metrics: createGuardMetrics(deps.registry),
    logger: deps.logger,
    rollout: deps.rollout,
    instance: (deps.instance ?? `${hostname()}:${process.pid}`).slice(0, MAX_BY_CHARS),
    now,
    ...(windows ? { windows } : {}),
  });
}
