import type Redis from 'ioredis';
import { whenReady } from '../../../../platform/redis/whenReady';
import type { FleetWindow, PendingBatch } from './FleetWindow';
import { GUARD_BUCKETS, type Bucket } from './RateWindow';

/**
 * For each key (a bucket of a window): add ARGV n and bad (n = 0: read only), give it ARGV ttl ms to
 * live, then answer its `n` and `bad`. One script, not a pipeline: the adds and the read are one
 * atomic step in one round trip, so the sums read always include what this call added, and the
 * answer is a flat list of numbers (absent buckets read 0).
 */
const EXCHANGE = `
local out = {}
for i, key in ipairs(KEYS) do
  local n = tonumber(ARGV[i * 3 - 2])
  local bad = tonumber(ARGV[i * 3 - 1])
  if n ~= 0 then
    redis.call('HINCRBY', key, 'n', n)
    if bad ~= 0 then redis.call('HINCRBY', key, 'bad', bad) end
    redis.call('PEXPIRE', key, ARGV[i * 3])
  end
  local v = redis.call('HMGET', key, 'n', 'bad')
  out[i * 2 - 1] = tonumber(v[1]) or 0
  out[i * 2] = tonumber(v[2]) or 0
end
return out
`;

/** The guarded windows by the name their keys carry. */
export interface NamedWindows {
  errors: FleetWindow;
  mismatches: FleetWindow;
}

/**
 * A bucket's key: per deployment (the halt key as prefix), per halt generation (a resume raises it, so
 * the fleet's windows start fresh with no clean-up), per window, per bucket id. The `{generation}` hash
 * tag keeps one exchange's keys in one slot on a Redis Cluster.
 */
export function bucketKey(prefix: string, generation: number, window: string, id: number): string {
  return `${prefix}:fleet:{${generation}}:${window}:${id}`;
}

/**
 * How long a bucket written now may live: until its bucket has left the window, plus one bucket of
 * slack for instances whose clocks lag. So at most GUARD_BUCKETS + 1 keys per window exist at once.
 */
export function bucketTtlMs(id: number, bucketMs: number, now: number): number {
  return Math.max(1, (id + GUARD_BUCKETS + 1) * bucketMs - now);
}

/**
 * The fleet's shared windows in Redis: at each guard poll, every instance adds the counts it has not
 * shared yet and reads the fleet's sums for the window's live buckets, in one round trip. Bytes are
 * bounded whatever the traffic: 2 windows × at most 13 keys × 2 small fields per deployment and
 * generation (docs/security.md, "Redis bytes per caller class").
 */
export class RedisWindowStore {
  /** One exchange at a time: a poll that overlaps a slow one would send the same counts twice. */
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number,
    private readonly readyTimeoutMs = 1000,
  ) {}

  /** Shares the windows' pending counts and takes the fleet's sums; throws when Redis is unreachable. */
  exchange(generation: number, windows: NamedWindows): Promise<void> {
    this.inFlight ??= this.run(generation, windows).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async run(generation: number, windows: NamedWindows): Promise<void> {
    await whenReady(this.redis, this.readyTimeoutMs);
    const now = this.now();
    const keys: string[] = [];
    const argv: string[] = [];
    const plan: { window: FleetWindow; batch: PendingBatch; ids: number[] }[] = [];
    for (const [name, window] of Object.entries(windows) as [string, FleetWindow][]) {
      const batch = window.takePending();
      const current = window.currentId();
      const ids: number[] = [];
      for (let id = current - GUARD_BUCKETS + 1; id <= current; id++) {
        const adds = batch.buckets.find((b) => b.id === id);
        ids.push(id);
        keys.push(bucketKey(this.prefix, generation, name, id));
        argv.push(
          String(adds?.n ?? 0),
          String(adds?.bad ?? 0),
          String(bucketTtlMs(id, window.bucketMs, now)),
        );
      }
      // Only what goes out leaves the pending counts (a bucket boundary may pass between the reads).
      plan.push({
        window,
        batch: { ...batch, buckets: batch.buckets.filter((b) => ids.includes(b.id)) },
        ids,
      });
    }
    const answer = (await this.redis.eval(EXCHANGE, keys.length, ...keys, ...argv)) as number[];
    let at = 0;
    for (const { window, batch, ids } of plan) {
      const sums: Bucket[] = ids.map((id) => {
        const bucket = { id, n: Number(answer[at]), bad: Number(answer[at + 1]) };
        at += 2;
        return bucket;
      });
      window.settle(batch, sums);
    }
  }
}
