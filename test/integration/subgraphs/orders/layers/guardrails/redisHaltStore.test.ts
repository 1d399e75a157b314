import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import pino from 'pino';
import { createRedisClient } from '../../../../../../platform/redis/createRedisClient';
import { whenReady } from '../../../../../../platform/redis/whenReady';
import {
  MAX_BY_CHARS,
  MAX_NOTE_CHARS,
  type HaltRecord,
} from '../../../../../../subgraphs/orders/layers/guardrails/HaltRecord';
import { RedisHaltStore } from '../../../../../../subgraphs/orders/layers/guardrails/RedisHaltStore';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = pino({ level: 'silent' });
const keys: string[] = [];
let admin: Redis;

beforeAll(async () => {
  admin = createRedisClient(REDIS_URL, 'test-admin', silent);
  await whenReady(admin, 2000);
});
afterAll(async () => {
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

function storePair(): [RedisHaltStore, RedisHaltStore, string] {
  const key = `test:rollout-halt:${randomUUID()}`;
  keys.push(key);
  const open = () => new RedisHaltStore(createRedisClient(REDIS_URL, 'test-guard', silent), key);
  return [open(), open(), key];
}

const figures = {
  mode: 'vendor' as const,
  rate: 0.123456789,
  samples: 123456,
  bad: 15241,
  threshold: 0.05,
  windowMs: 3_600_000,
  minSamples: 1_000_000,
};

it('two instances halting at once: one halt is recorded, the other sees it; resume raises the generation', async () => {
  const [a, b] = storePair();
  try {
    const [x, y] = await Promise.all([
      a.halt({ reason: 'error_rate', by: 'a:1', at: new Date().toISOString(), figures }),
      b.halt({ reason: 'mismatch_rate', by: 'b:2', at: new Date().toISOString(), figures }),
    ]);
    expect([x.applied, y.applied].sort()).toEqual([false, true]);
    expect(x.current).toEqual(y.current);
    expect(x.current).toMatchObject({ state: 'halted', generation: 1 });
    expect(await a.read()).toEqual(x.current);
    expect(
      (await b.resume({ by: 'operator me@host', at: new Date().toISOString(), note: 'ok' })).current,
    ).toMatchObject({
      state: 'resumed',
      generation: 2,
      record: { by: 'operator me@host', note: 'ok' },
    });
    expect((await a.resume({ by: 'operator me@host', at: new Date().toISOString() })).applied).toBe(false);
    expect(await b.read()).toMatchObject({ state: 'resumed', generation: 2 });
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

it('keeps the halt state in one small key, whatever the note: under 2 KiB of Redis memory', async () => {
  const [store, other, key] = storePair();
  try {
    // The largest record there can be: the longest note in 3-byte characters, the longest `by`.
    const record: HaltRecord = {
      reason: 'operator',
      by: 'x'.repeat(MAX_BY_CHARS + 50),
      at: new Date().toISOString(),
      note: '€'.repeat(MAX_NOTE_CHARS + 50),
      figures,
    };
    expect((await store.halt(record)).applied).toBe(true);
    const stored = await store.read();
    expect(stored?.record.note).toHaveLength(MAX_NOTE_CHARS);
    expect(stored?.record.by).toHaveLength(MAX_BY_CHARS);
    expect(await admin.hlen(key)).toBe(3);
    expect(await admin.ttl(key)).toBe(-1); // held until an operator resumes
    const bytes = Number(await admin.call('MEMORY', 'USAGE', key));
    expect(bytes).toBeGreaterThan(600);
    expect(bytes).toBeLessThan(2048);
    // Halts and resumes rewrite the same key: it does not grow.
    for (let i = 0; i < 20; i++) {
      await other.resume({ ...record, reason: undefined });
      await other.halt(record);
    }
    expect(await admin.hlen(key)).toBe(3);
    expect(Number(await admin.call('MEMORY', 'USAGE', key))).toBeLessThan(2048);
  } finally {
    await Promise.all([store.close(), other.close()]);
  }
});
