import pino from 'pino';
import { Registry } from 'prom-client';
import { parseGuardrailsConfig } from '../../../../subgraphs/orders/config/guardrailsConfig';
import { createGuardMetrics } from '../../../../subgraphs/orders/layers/guardrails/GuardMetrics';
import { MemoryHaltStore } from '../../../../subgraphs/orders/layers/guardrails/HaltStore';
import {
  RolloutGuard,
  type ActiveRollout,
} from '../../../../subgraphs/orders/layers/guardrails/RolloutGuard';
import { configError } from '../../../helpers/configError';

// Smaller minimums than the defaults, so each test's figures stay short.
const MINIMUMS = { ORDERS_GUARD_ERROR_MIN_READS: '20', ORDERS_GUARD_MISMATCH_MIN_COMPARED: '20' };

function guardWith(rollout: ActiveRollout | null, extra: Record<string, string> = {}) {
  const env = { ...MINIMUMS, ...extra };
  const clock = { now: 5_000_000 };
  const logs: Record<string, unknown>[] = [];
  const registry = new Registry();
  const store = new MemoryHaltStore();
  const guard = new RolloutGuard({
    config: parseGuardrailsConfig(env),
    store,
    metrics: createGuardMetrics(registry),
    logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) }),
    rollout: () => rollout,
    instance: 'test:1',
    now: () => clock.now,
  });
  const metric = async (name: string) =>
    (await registry.getSingleMetric(name)!.get()).values.map((v) => ({ labels: v.labels, value: v.value }));
  return { guard, clock, logs, store, metric };
}
const serve = (guard: RolloutGuard, mode: 'vendor' | 'legacy', ok: number, failed: number) => {
  for (let i = 0; i < ok; i++) guard.recordServed(mode, true);
  for (let i = 0; i < failed; i++) guard.recordServed(mode, false);
};

describe('RolloutGuard (memory store, injected clock)', () => {
  it('halts when the rolled-out mode crosses the error rate, logs it once with the figures, counts it', async () => {
    const { guard, logs, store, metric } = guardWith({ mode: 'vendor', basisPoints: 2000 });
    serve(guard, 'vendor', 10, 9); // 19 reads: under the minimum
    expect(guard.isHalted()).toBe(false);
    serve(guard, 'vendor', 0, 1);
    expect(guard.isHalted()).toBe(true);
    serve(guard, 'vendor', 0, 50); // more errors: no second halt, no more lines
    await guard.sync();
    const halted = logs.filter((l) => l.event === 'rollout_halted');
    expect(halted).toHaveLength(1);
    expect(halted[0]).toMatchObject({
      reason: 'error_rate',
      mode: 'vendor',
      samples: 20,
      bad: 10,
      rate: 0.5,
      threshold: 0.05,
      windowMs: 60_000,
      minSamples: 20,
      instance: 'test:1',
    });
    expect(await store.read()).toMatchObject({
      state: 'halted',
      generation: 1,
      record: { reason: 'error_rate' },
    });
    expect(await metric('switchyard_rollout_halts_total')).toEqual([
      { labels: { reason: 'error_rate' }, value: 1 },
    ]);
    expect(await metric('switchyard_rollout_halted')).toEqual([{ labels: {}, value: 1 }]);
    expect(await metric('switchyard_orders_history_reads_total')).toEqual(
      expect.arrayContaining([
        { labels: { mode: 'vendor', outcome: 'ok' }, value: 10 },
        { labels: { mode: 'vendor', outcome: 'error' }, value: 60 },
      ]),
    );
  });

  it('does not judge the base mode, a rollout at 0 %, or anything with automatic halts off', () => {
    const base = guardWith({ mode: 'vendor', basisPoints: 2000 });
    serve(base.guard, 'legacy', 0, 100);
    expect(base.guard.isHalted()).toBe(false);
    const zero = guardWith({ mode: 'vendor', basisPoints: 0 });
    serve(zero.guard, 'vendor', 0, 100);
    for (let i = 0; i < 100; i++) zero.guard.recordCompared(true);
    expect(zero.guard.isHalted()).toBe(false);
    const none = guardWith(null);
    for (let i = 0; i < 100; i++) none.guard.recordCompared(true);
    expect(none.guard.isHalted()).toBe(false);
    const off = guardWith({ mode: 'vendor', basisPoints: 2000 }, { ORDERS_GUARD_AUTO_HALT: 'false' });
    serve(off.guard, 'vendor', 0, 100);
    expect(off.guard.isHalted()).toBe(false);
  });

  it('halts on the mismatch rate of compared reads', () => {
    const { guard, logs } = guardWith({ mode: 'vendor', basisPoints: 500 });
    for (let i = 0; i < 17; i++) guard.recordCompared(false);
    for (let i = 0; i < 2; i++) guard.recordCompared(true);
    expect(guard.isHalted()).toBe(false); // 19 compared
    guard.recordCompared(true); // 3/20 = 0.15 ≥ 0.1
    expect(guard.isHalted()).toBe(true);
    expect(logs.find((l) => l.event === 'rollout_halted')).toMatchObject({
      reason: 'mismatch_rate',
      samples: 20,
      bad: 3,
      windowMs: 300_000,
    });
  });

  it('after a resume starts with fresh windows: the old errors do not halt again', async () => {
    const { guard, store, logs } = guardWith({ mode: 'vendor', basisPoints: 2000 });
    serve(guard, 'vendor', 0, 20);
    await guard.sync();
    expect(guard.isHalted()).toBe(true);
    await store.resume({ by: 'operator me@here', at: new Date().toISOString(), note: 'vendor fixed' });
    await guard.sync();
    expect(guard.isHalted()).toBe(false);
    expect(logs.find((l) => l.event === 'rollout_resumed')).toMatchObject({
      by: 'operator me@here',
      note: 'vendor fixed',
    });
    serve(guard, 'vendor', 18, 1); // 1 error in 19 fresh reads: not judged yet
    expect(guard.isHalted()).toBe(false);
    serve(guard, 'vendor', 1, 0); // 1/20 = 0.05: the fresh figures alone decide
    expect(guard.isHalted()).toBe(true);
    await guard.sync();
    expect(await store.read()).toMatchObject({ state: 'halted', generation: 3 });
  });

  it('learns an operator halt from the store at the next sync and counts it as operator', async () => {
    const { guard, store, metric, logs } = guardWith({ mode: 'vendor', basisPoints: 2000 });
    await store.halt({ reason: 'operator', by: 'operator me@here', at: new Date().toISOString(), note: 'x' });
    expect(guard.isHalted()).toBe(false);
    await guard.sync();
    expect(guard.isHalted()).toBe(true);
    expect(await metric('switchyard_rollout_halts_total')).toEqual([
      { labels: { reason: 'operator' }, value: 1 },
    ]);
    await guard.sync();
    expect(logs.filter((l) => l.event === 'rollout_halt_applied')).toHaveLength(1);
  });
});

describe('ORDERS_GUARD_*', () => {
  it('has the documented defaults', () => {
    expect(parseGuardrailsConfig({})).toEqual({
      autoHalt: true,
      errorRate: { threshold: 0.05, windowMs: 60_000, minSamples: 50 },
      mismatchRate: { threshold: 0.1, windowMs: 300_000, minSamples: 30 },
      pollMs: 1000,
      redisKey: 'switchyard:orders:rollout-halt',
    });
  });

  it('names each bad variable and stops', () => {
    const message = configError(() =>
      parseGuardrailsConfig({
        ORDERS_GUARD_ERROR_RATE: '5',
        ORDERS_GUARD_MISMATCH_RATE: '0',
        ORDERS_GUARD_POLL_MS: '-1',
        ORDERS_GUARD_AUTO_HALT: 'maybe',
      }),
    );
    for (const name of [
      'ORDERS_GUARD_ERROR_RATE',
      'ORDERS_GUARD_MISMATCH_RATE',
      'ORDERS_GUARD_POLL_MS',
      'ORDERS_GUARD_AUTO_HALT',
    ]) {
      expect(message).toContain(name);
    }
    expect(configError(() => parseGuardrailsConfig({ ORDERS_GUARD_ERROR_WINDOW_MS: '500' }))).toContain(
      'ORDERS_GUARD_ERROR_WINDOW_MS="500": must be >= 1000',
    );
    expect(configError(() => parseGuardrailsConfig({ ORDERS_GUARD_REDIS_KEY: 'has space' }))).toContain(
      'ORDERS_GUARD_REDIS_KEY',
    );
  });
});

describe('RolloutGuard when the shared state cannot be written or read', () => {
  /** The memory store, made to fail while `down` is set, as Redis does during an outage. */
  class FlakyStore extends MemoryHaltStore {
    down = true;
    override read() {
      return this.down ? Promise.reject(new Error('redis down')) : super.read();
    }
    override halt(record: Parameters<MemoryHaltStore['halt']>[0]) {
      return this.down ? Promise.reject(new Error('redis down')) : super.halt(record);
    }
  }

  it('halts here at once, keeps the halt through the outage, and shares it once the store is back', async () => {
    const logs: Record<string, unknown>[] = [];
    const store = new FlakyStore();
    const guard = new RolloutGuard({
      config: parseGuardrailsConfig(MINIMUMS),
      store,
      metrics: createGuardMetrics(new Registry()),
      logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) }),
      rollout: () => ({ mode: 'vendor', basisPoints: 2000 }),
      instance: 'test:1',
    });
    serve(guard, 'vendor', 0, 20);
    expect(guard.isHalted()).toBe(true);
    await guard.sync();
    await guard.sync();
    expect(guard.isHalted()).toBe(true);
    expect(guard.status()).toMatchObject({ halted: true, unshared: { reason: 'error_rate', by: 'test:1' } });
    // One line for the unshared halt, one for the unreadable state: not one per poll.
    expect(logs.filter((l) => l.event === 'rollout_halt_unshared')).toHaveLength(1);
    expect(logs.filter((l) => l.event === 'rollout_guard_sync')).toHaveLength(1);
    store.down = false;
    await guard.sync();
    expect(await store.read()).toMatchObject({
      state: 'halted',
      record: { reason: 'error_rate', by: 'test:1' },
    });
    expect(guard.status()).not.toHaveProperty('unshared');
    expect(guard.isHalted()).toBe(true);
  });
});
