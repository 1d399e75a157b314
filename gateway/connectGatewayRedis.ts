import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { createRedisClient } from '../platform/redis/createRedisClient';
import { whenReady } from '../platform/redis/whenReady';

/**
 * Rate-limit checks and APQ lookups sit on every request's path: a Redis that accepts the connection
 * but stalls must not hold requests, so past this a check is answered from memory and a lookup is a miss.
 */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * The gateway's one Redis client (REDIS_URL), shared by the rate limiter and the APQ cache; null
 * without REDIS_URL. Start-up waits a moment for it, so the first requests already share counts and
 * registrations with the other instances; a Redis that is down does not stop the gateway, which
 * serves on (the client logs the outage once).
 */
export async function connectGatewayRedis(url: string | null, logger: Logger): Promise<Redis | null> {
  if (!url) return null;
  const client = createRedisClient(url, 'gateway', logger, {
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
  });
  await whenReady(client, 2000).catch(() => undefined);
  return client;
}
