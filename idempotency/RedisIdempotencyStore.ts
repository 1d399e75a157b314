import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { whenReady } from '../platform/redis/whenReady';
import type {
  ClaimOptions,
  ClaimResult,
  IdempotencyScope,
  IdempotencyStore,
  StoredOutcome,
} from './IdempotencyStore';
import { recordKey } from './IdempotencyStore';

// One round trip, atomic on the server: read the record, compare, and claim if free or if a dead
// attempt's lease ran out. Records: {f: fingerprint, s: 'in_flight'|'completed', o: outcome,
// l: lease end ms, t: the token of the claim that wrote it}. A completed record is returned as stored
// (never re-encoded by cjson, which would turn an empty array into an object).
const CLAIM = `
local raw = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[3])
local answer = 'claimed'
if raw then
  local rec = cjson.decode(raw)
  if rec.f ~= ARGV[1] then return 'mismatch' end
  if rec.s == 'completed' then return raw end
  if tonumber(rec.l) > now then return 'in_flight' end
  answer = 'takeover'
end
redis.call('SET', KEYS[1], cjson.encode({f = ARGV[1], s = 'in_flight', l = now + tonumber(ARGV[2]), t = ARGV[5]}), 'PX', ARGV[4])
return answer
`;

// Writes (ARGV[2], a JSON record, or '' to delete) only while the record is still the claim
// ARGV[1]'s: once a retry has taken over, the old attempt's writes are refused, atomically.
const REPLACE_IF_OWNED = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
if cjson.decode(raw).t ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
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
    const token = randomUUID();
    // The in-flight record outlives its lease (kept for the replay window) so a takeover can be detected.
    const result = (await this.redis.eval(
      CLAIM,
      1,
      recordKey(scope),
      options.fingerprint,
      options.leaseMs,
      this.now(),
      options.ttlMs,
      token,
    )) as string;
    switch (result) {
      case 'claimed':
        return { kind: 'claimed', takeover: false, token };
      case 'takeover':
        return { kind: 'claimed', takeover: true, token };
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
    token: string,
    fingerprint: string,
    outcome: StoredOutcome,
    ttlMs: number,
  ): Promise<boolean> {
    return this.replaceIfOwned(
      scope,
      token,
      { f: fingerprint, s: 'completed', o: outcome, l: 0, t: token },
      ttlMs,
    );
  }

  async abandon(
    scope: IdempotencyScope,
    token: string,
    fingerprint: string,
    ttlMs: number,
  ): Promise<boolean> {
    // Lease 0: the next claim is a takeover, which reconciles before executing.
    return this.replaceIfOwned(scope, token, { f: fingerprint, s: 'in_flight', l: 0, t: token }, ttlMs);
  }

  async release(scope: IdempotencyScope, token: string): Promise<boolean> {
    return this.replaceIfOwned(scope, token, null, 0);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async replaceIfOwned(
    scope: IdempotencyScope,
    token: string,
    record: Record<string, unknown> | null,
    ttlMs: number,
  ): Promise<boolean> {
    await whenReady(this.redis, 1000);
    const written = await this.redis.eval(
      REPLACE_IF_OWNED,
      1,
      recordKey(scope),
      token,
      record ? JSON.stringify(record) : '',
      ttlMs,
    );
    return written === 1;
  }
}
