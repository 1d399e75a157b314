import type Redis from 'ioredis';
import { MemoryRateLimiter } from '../platform/ratelimit/MemoryRateLimiter';
import type { RateLimiter } from '../platform/ratelimit/RateLimiter';
import { RedisRateLimiter } from '../platform/ratelimit/RedisRateLimiter';
import type { RateLimitConfig } from './rateLimitConfig';
import type { RateLimitMetrics } from './rateLimitMetrics';

/**
 * The gateway's limiter: shared through Redis when the gateway has one (connectGatewayRedis), else
 * this instance's memory. While Redis fails, the limiter counts in memory until it is back.
 */
export function createRateLimiter(
  config: RateLimitConfig,
  deps: { redis: Redis | null; metrics: RateLimitMetrics; now?: () => number },
): RateLimiter {
  if (!deps.redis) return new MemoryRateLimiter(config.windowMs, deps.now);
  return new RedisRateLimiter(deps.redis, {
    windowMs: config.windowMs,
    now: deps.now,
    onStoreError: () => deps.metrics.storeErrors.inc(),
  });
}
