import type Redis from 'ioredis';
import { whenReady } from '../../../../platform/redis/whenReady';
import { decodeHaltRecord, encodeHaltRecord, type StoredHalt, type HaltRecord } from './HaltRecord';
import type { HaltChange, HaltStore } from './HaltStore';

/**
 * Halt (ARGV[2] = 'halted') or resume (ARGV[2] = 'resumed') in one step, so two instances crossing a
 * rule at once, or an operator resuming while one halts, cannot interleave: a halt while halted and a
 * resume while not halted change nothing and answer the state in force. One hash per deployment:
 * `state`, `generation` (raised by every change, so an instance that missed a halt-and-resume between
 * two polls still sees that something happened) and `record` (JSON, bounded: HaltRecord.ts).
 */
const CHANGE = `
local state = redis.call('HGET', KEYS[1], 'state')
local halted = state == 'halted'
if (ARGV[2] == 'halted' and halted) or (ARGV[2] == 'resumed' and not halted) then
  if not state then return {0} end
  return {0, state, redis.call('HGET', KEYS[1], 'generation'), redis.call('HGET', KEYS[1], 'record')}
end
local generation = redis.call('HINCRBY', KEYS[1], 'generation', 1)
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'record', ARGV[1])
return {1, ARGV[2], tostring(generation), ARGV[1]}
`;

/** The halt state of a deployment in Redis, under one key (ORDERS_GUARD_REDIS_KEY), with no expiry. */
export class RedisHaltStore implements HaltStore {
  readonly kind = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    /** How long a command waits for a connection being (re)established. */
    private readonly readyTimeoutMs = 1000,
  ) {}

  async read(): Promise<StoredHalt | null> {
    await whenReady(this.redis, this.readyTimeoutMs);
    const [state, generation, record] = await this.redis.hmget(this.key, 'state', 'generation', 'record');
    return toStored(state, generation, record);
  }

  halt(record: HaltRecord): Promise<HaltChange> {
    return this.change('halted', record);
  }

  resume(record: HaltRecord): Promise<HaltChange> {
    return this.change('resumed', record);
  }

  async close(): Promise<void> {
    // QUIT needs a live connection; a client that never got one (or gave up) is only disconnected.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private async change(state: StoredHalt['state'], record: HaltRecord): Promise<HaltChange> {
    await whenReady(this.redis, this.readyTimeoutMs);
    const answer = (await this.redis.eval(CHANGE, 1, this.key, encodeHaltRecord(record), state)) as [
      number,
      string?,
      string?,
      string?,
    ];
    return { applied: answer[0] === 1, current: toStored(answer[1], answer[2], answer[3]) };
  }
}

function toStored(
  state: string | null | undefined,
  generation: string | null | undefined,
  record: string | null | undefined,
): StoredHalt | null {
  if (state !== 'halted' && state !== 'resumed') return null;
  return { state, generation: Number(generation ?? 0), record: decodeHaltRecord(record) };
}
