import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createRedisClient } from '../../../../../../platform/redis/createRedisClient';
import { whenReady } from '../../../../../../platform/redis/whenReady';
import { runRolloutCommand } from '../../../../../../scripts/rollout/runRolloutCommand';
import { parseGuardrailsConfig } from '../../../../../../subgraphs/orders/config/guardrailsConfig';
import { createRolloutGuard } from '../../../../../../subgraphs/orders/layers/guardrails/createRolloutGuard';
import { createGuardMetrics } from '../../../../../../subgraphs/orders/layers/guardrails/GuardMetrics';
import { GUARD_BUCKETS } from '../../../../../../subgraphs/orders/layers/guardrails/RateWindow';
import { RedisHaltStore } from '../../../../../../subgraphs/orders/layers/guardrails/RedisHaltStore';
import {
  bucketKey,
  RedisWindowStore,
} from '../../../../../../subgraphs/orders/layers/guardrails/RedisWindowStore';
import { RolloutGuard } from '../../../../../../subgraphs/orders/layers/guardrails/RolloutGuard';

// Two (or three) guards of one deployment on the real Redis, each called the way the poll timer calls
// it (`sync()`), sharing one fake clock: the fleet's error rate must halt what no instance sees alone.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ENV = { ORDERS_GUARD_ERROR_MIN_READS: '20', ORDERS_GUARD_MISMATCH_MIN_COMPARED: '20' };
const BUCKET_MS = 60_000 / GUARD_BUCKETS;
const ROLLOUT = { mode: 'vendor', basisPoints: 1000 } as const;
const silent = pino({ level: 'silent' });

type Line = Record<string, unknown>;
const capture = () => {
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, logger };
};

let admin: Redis;
const keys: string[] = [];
const guards: RolloutGuard[] = [];

beforeAll(async () => {
  admin = createRedisClient(REDIS_URL, 'test-admin', silent);
  await whenReady(admin, 2000);
});

afterAll(async () => {
  await Promise.all(guards.map((g) => g.stop()));
  for (const key of keys) {
    const found = await admin.keys(`${key}*`);
    if (found.length > 0) await admin.del(...found);
  }
  admin.disconnect();
});

/** A fresh deployment: its own halt key, a clock, and `make` for each instance of it. */
function deployment(redisUrl: string | null = REDIS_URL) {
  const key = `test:fleet-windows:${randomUUID()}`;
  keys.push(key);
  const clock = { now: 1_800_000_000_000 };
  const config = parseGuardrailsConfig({ ...ENV, ORDERS_GUARD_REDIS_KEY: key });
  const make = (instance: string) => {
    const { lines, logger } = capture();
    const guard = createRolloutGuard(config, {
      logger,
      registry: new Registry(),
      redisUrl,
      rollout: () => ROLLOUT,
      instance,
      now: () => clock.now,
    });
    guards.push(guard);
    return { guard, lines };
  };
  return { key, clock, make };
}

/** `ok` good reads and `failed` failed ones served by the rolled-out mode. */
function serve(guard: RolloutGuard, ok: number, failed: number): void {
  for (let i = 0; i < ok; i++) guard.recordServed('vendor', true);
  for (let i = 0; i < failed; i++) guard.recordServed('vendor', false);
}

type Windows = { errorRate: { samples: number; bad: number; scope?: string; local?: { samples: number } } };
const windows = (guard: RolloutGuard) => guard.status().windows as Windows;

it('halts on the fleet rate when no instance has the minimum alone, and the other learns it', async () => {
  const { make, key } = deployment();
  const a = make('a:1');
  const b = make('b:1');
  await Promise.all([a.guard.sync(), b.guard.sync()]);
  serve(a.guard, 10, 5); // 15 reads, 33 %: under the minimum of 20 here
  serve(b.guard, 11, 4);
  expect([a.guard.isHalted(), b.guard.isHalted()]).toEqual([false, false]);

  await a.guard.sync(); // the fleet: A's 15 so far
  expect(a.guard.isHalted()).toBe(false);
  expect(windows(a.guard).errorRate).toMatchObject({ samples: 15, bad: 5, scope: 'fleet' });
  await b.guard.sync(); // the fleet: 30 reads, 9 failed: crossed
  expect(b.guard.isHalted()).toBe(true);
  await b.guard.sync(); // waits for the shared write
  const halted = b.lines.filter((l) => l.event === 'rollout_halted');
  expect(halted).toEqual([
    expect.objectContaining({ reason: 'error_rate', samples: 30, bad: 9, scope: 'fleet', instance: 'b:1' }),
  ]);
  expect(windows(b.guard).errorRate).toMatchObject({ samples: 30, bad: 9, local: { samples: 15 } });

  expect(a.guard.isHalted()).toBe(false);
  await a.guard.sync();
  expect(a.guard.isHalted()).toBe(true);
  expect(a.lines.filter((l) => l.event === 'rollout_halt_applied')).toEqual([
    expect.objectContaining({ reason: 'error_rate', by: 'b:1' }),
  ]);
  expect(a.guard.status().last).toMatchObject({ record: { figures: { samples: 30, bad: 9 } } });

  // Bytes: one key per live bucket and window, each set to expire once its bucket has left the window.
  const written = await admin.keys(`${key}:fleet:*`);
  expect(written).toEqual([bucketKey(key, 0, 'errors', Math.floor(1_800_000_000_000 / BUCKET_MS))]);
  const ttl = await admin.pttl(written[0]!);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual((GUARD_BUCKETS + 1) * BUCKET_MS);
  expect(await admin.hgetall(written[0]!)).toEqual({ n: '30', bad: '9' });
  // docs/security.md: 26 such hashes at most per deployment and generation, so under 8 KB.
  const bytes = Number(await admin.call('MEMORY', 'USAGE', written[0]!));
  expect(bytes).toBeGreaterThan(0);
  expect(bytes).toBeLessThan(300);
});

it('without REDIS_URL the same counts halt nothing: each instance judges its own traffic', async () => {
  const { make } = deployment(null);
  const a = make('a:1');
  const b = make('b:1');
  serve(a.guard, 10, 5);
  serve(b.guard, 11, 4);
  await Promise.all([a.guard.sync(), b.guard.sync(), a.guard.sync(), b.guard.sync()]);
  expect([a.guard.isHalted(), b.guard.isHalted()]).toEqual([false, false]);
  expect(windows(a.guard).errorRate).toEqual(expect.not.objectContaining({ scope: expect.anything() }));
  expect(windows(a.guard).errorRate).toMatchObject({ samples: 15, bad: 5 });
});

it('counts only buckets inside the window', async () => {
  const { make, clock } = deployment();
  const a = make('a:1');
  const b = make('b:1');
  serve(a.guard, 10, 5);
  await a.guard.sync();
  clock.now += 60_000; // A's bucket has left the window
  serve(b.guard, 11, 4);
  await b.guard.sync();
  expect(b.guard.isHalted()).toBe(false);
  expect(windows(b.guard).errorRate).toMatchObject({ samples: 15, bad: 4, scope: 'fleet' });
  clock.now += 5 * BUCKET_MS; // still in: B's bucket counts until 12 buckets have passed
  await a.guard.sync();
  expect(windows(a.guard).errorRate).toMatchObject({ samples: 15, bad: 4, local: { samples: 0 } });
});

it('adds each count once, even when polls overlap', async () => {
  const { make, key, clock } = deployment();
  const a = make('a:1');
  serve(a.guard, 4, 1);
  await Promise.all([a.guard.sync(), a.guard.sync(), a.guard.sync()]);
  await a.guard.sync();
  const id = Math.floor(clock.now / BUCKET_MS);
  expect(await admin.hgetall(bucketKey(key, 0, 'errors', id))).toEqual({ n: '5', bad: '1' });
  expect(windows(a.guard).errorRate).toMatchObject({ samples: 5, bad: 1, scope: 'fleet' });
});

it('starts fresh fleet windows after an operator resume: the errors that halted do not halt again', async () => {
  const { make, key } = deployment();
  const a = make('a:1');
  const b = make('b:1');
  serve(a.guard, 10, 5);
  serve(b.guard, 11, 4);
  await a.guard.sync();
  await b.guard.sync();
  await b.guard.sync();
  await a.guard.sync();
  expect([a.guard.isHalted(), b.guard.isHalted()]).toEqual([true, true]);

  const out: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
  const env = { REDIS_URL, ORDERS_GUARD_REDIS_KEY: key };
  expect(await runRolloutCommand(['resume', '--reason', 'vendor fixed'], env, io, silent)).toBe(0);
  await a.guard.sync();
  await b.guard.sync();
  expect([a.guard.isHalted(), b.guard.isHalted()]).toEqual([false, false]);
  expect(windows(a.guard).errorRate).toMatchObject({ samples: 0, bad: 0 });

  // Same clock, same bucket: only what is counted after the resume adds up (1 + 2 failed of 19).
  serve(a.guard, 9, 1);
  await a.guard.sync();
  serve(b.guard, 7, 2);
  await b.guard.sync();
  expect(windows(b.guard).errorRate).toMatchObject({ samples: 19, bad: 3, scope: 'fleet' });
  expect([a.guard.isHalted(), b.guard.isHalted()]).toEqual([false, false]);
  // The next failed read anywhere reaches the minimum: the fresh fleet figures alone halt.
  serve(a.guard, 0, 1);
  expect(a.guard.isHalted()).toBe(false); // A's view: the fleet's 10 it read + 1 of its own
  await a.guard.sync();
  expect(a.guard.isHalted()).toBe(true);
  expect(a.lines.filter((l) => l.event === 'rollout_halted').at(-1)).toMatchObject({ samples: 20, bad: 4 });
});

it('judges on local counts while Redis is unreachable, warns once, and shares the counts later exactly once', async () => {
  const { make, clock, key } = deployment();
  const b = make('b:1');
  // A's own connection, which the test takes down and brings back.
  const { lines, logger } = capture();
  const redis = createRedisClient(REDIS_URL, 'test-guard', silent, { maxRetriesPerRequest: 1 });
  const a = new RolloutGuard({
    config: parseGuardrailsConfig({ ...ENV, ORDERS_GUARD_REDIS_KEY: key }),
    store: new RedisHaltStore(redis, key, 50),
    windows: new RedisWindowStore(redis, key, () => clock.now, 50),
    metrics: createGuardMetrics(new Registry()),
    logger,
    rollout: () => ROLLOUT,
    instance: 'a:1',
    now: () => clock.now,
  });
  guards.push(a);
  /** Closes A's connection and waits until the client has given it up (no reconnect until `connect`). */
  const takeDown = async () => {
    const ended = new Promise((resolve) => redis.once('end', resolve));
    redis.disconnect();
    await ended;
  };
  serve(a, 10, 0);
  await a.sync();
  expect(windows(a).errorRate).toMatchObject({ samples: 10, scope: 'fleet' });

  await takeDown();
  serve(a, 5, 0);
  await a.sync();
  await a.sync();
  const warnings = lines.filter((l) => l.event === 'rollout_guard_sync' && l.level === 40);
  expect(warnings).toHaveLength(1);
  expect(windows(a).errorRate).toMatchObject({ samples: 15, scope: 'local', local: { samples: 15 } });
  serve(b.guard, 3, 0);
  await b.guard.sync();
  expect(windows(b.guard).errorRate).toMatchObject({ samples: 13 }); // A's 5 not shared yet

  await redis.connect();
  await a.sync();
  await a.sync();
  await b.guard.sync();
  expect(windows(a).errorRate).toMatchObject({ samples: 18, scope: 'fleet' });
  expect(windows(b.guard).errorRate).toMatchObject({ samples: 18 });
  expect(lines.filter((l) => l.event === 'rollout_guard_sync')).toHaveLength(2); // the warning, "again"

  // Down again: this instance's own figures still halt it (today's behaviour), shared once back.
  await takeDown();
  await a.sync();
  serve(a, 0, 5); // local: 20 reads, 5 failed
  expect(a.isHalted()).toBe(true);
  expect(lines.find((l) => l.event === 'rollout_halted')).toMatchObject({ samples: 20, scope: 'local' });
  await redis.connect();
  await a.sync();
  await b.guard.sync();
  expect(b.guard.isHalted()).toBe(true);
});
