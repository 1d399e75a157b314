import type Redis from 'ioredis';
import { whenReady } from '../redis/whenReady';
import type {
  ClaimOptions,
  ClaimResult,
  IdempotencyScope,
  IdempotencyStore,
  StoredOutcome,
} from './IdempotencyStore';
import { recordKey } from './IdempotencyStore';

// One round trip, atomic on the server: read the record, compare, and claim if free or if a dead
// attempt's lease ran out. Records: {f: fingerprint, s: 'in_flight'|'completed', o: outcome, l: lease end ms}.
const CLAIM = `
local raw = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[3])
if raw then
  local rec = cjson.decode(raw)
  if rec.f ~= ARGV[1] then return 'mismatch' end
  if rec.s == 'completed' then return raw end
  if tonumber(rec.l) > now then return 'in_flight' end
  redis.call('SET', KEYS[1], cjson.encode({f = ARGV[1], s = 'in_flight', l = now + tonumber(ARGV[2])}), 'PX', ARGV[4])
  return 'takeover'
end
redis.call('SET', KEYS[1], cjson.encode({f = ARGV[1], s = 'in_flight', l = now + tonumber(ARGV[2])}), 'PX', ARGV[4])
return 'claimed'
`;

/**
 * Shared truth for several subgraph instances. Redis errors propagate: the caller fails the mutation
 * closed (never executes without a record).
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(scope: IdempotencyScope, options: ClaimOptions): Promise<ClaimResult> {
    await whenReady(this.redis, 1000);
    // The in-flight record outlives its lease (kept for the replay window) so a takeover can be detected.
    const result = (await this.redis.eval(
      CLAIM,
      1,
      recordKey(scope),
      options.fingerprint,
      options.leaseMs,
      this.now(),
      options.ttlMs,
    )) as string;
    switch (result) {
      case 'claimed':
        return { kind: 'claimed', takeover: false };
      case 'takeover':
        return { kind: 'claimed', takeover: true };
      case 'mismatch':
        return { kind: 'mismatch' };
      case 'in_flight':
        return { kind: 'in_flight' };
      default:
        return { kind: 'completed', outcome: (JSON.parse(result) as { o: StoredOutcome }).o };
    }
  }

  async complete(
    scope: IdempotencyScope,
    fingerprint: string,
    outcome: StoredOutcome,
    ttlMs: number,
  ): Promise<void> {
    await whenReady(this.redis, 1000);
    await this.redis.set(
      recordKey(scope),
      JSON.stringify({ f: fingerprint, s: 'completed', o: outcome, l: 0 }),
      'PX',
      ttlMs,
    );
  }

  async abandon(scope: IdempotencyScope, fingerprint: string, ttlMs: number): Promise<void> {
    await whenReady(this.redis, 1000);
    await this.redis.set(
      recordKey(scope),
      JSON.stringify({ f: fingerprint, s: 'in_flight', l: 0 }),
      'PX',
      ttlMs,
    );
  }

  async release(scope: IdempotencyScope): Promise<void> {
    await this.redis.del(recordKey(scope));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
