import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { UpstreamResponse } from './Upstream';
import type { StaleStore } from './StaleStore';

/**
 * Shared by every instance (REDIS_URL), so an instance that just started can still rescue a read.
 * Entries expire in Redis at the maximum age; keys are hashed (they embed a user scope).
 */
export class RedisStaleStore implements StaleStore {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async set(key: string, response: UpstreamResponse, maxAgeMs: number): Promise<void> {
    const value = JSON.stringify({
      storedAt: this.now(),
      response: { status: response.status, headers: {}, body: response.body },
    });
    await this.redis.set(redisKey(key), value, 'PX', maxAgeMs).catch(() => undefined);
  }

  async get(
    key: string,
    maxAgeMs: number,
  ): Promise<{ response: UpstreamResponse; ageMs: number } | undefined> {
    const raw = await this.redis.get(redisKey(key)).catch(() => null);
    if (!raw) return undefined;
    const entry = JSON.parse(raw) as { storedAt: number; response: UpstreamResponse };
    const ageMs = this.now() - entry.storedAt;
    return ageMs > maxAgeMs ? undefined : { response: entry.response, ageMs };
  }
}

const redisKey = (key: string) => `switchyard:stale:${createHash('sha256').update(key).digest('base64url')}`;
