import { randomUUID } from 'node:crypto';
import { isInRollout } from '../../../../../../subgraphs/orders/layers/rollout/rolloutBucket';
import { dropRedisKeys } from '../../../../../helpers/guardedRolloutUpstreams';
import { promSample } from '../../../../../helpers/promSample';
import {
  eventually,
  startGuardedOrders,
  type GuardedOrders,
} from '../../../../../helpers/startGuardedOrders';
import { startTwinSimulators, type TwinSimulators } from '../../../../../helpers/startTwinSimulators';

// The legacy and vendor simulators hold the same orders, except that every vendor title differs: a
// shadow comparing them finds a mismatch on every read.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEYS = [randomUUID(), randomUUID()].map((id) => `test:rollout-halt:${id}`);
const everyone = Array.from({ length: 40 }, (_, i) => `learner${i + 1}`);
// Learners holding orders (an empty history compares equal), on either side of the 20 % line.
let learners: string[];
let stayed: string[];
let moved: string[];

let twins: TwinSimulators;
const running: GuardedOrders[] = [];

beforeAll(async () => {
  twins = await startTwinSimulators(everyone, (orders) =>
    orders.map((o) => ({ ...o, lines: o.lines.map((l) => ({ ...l, title: `${l.title} (vendor copy)` })) })),
  );
  learners = everyone.filter((u) => twins.orders.some((o) => o.username === u));
  stayed = learners.filter((u) => !isInRollout(u, 2000));
  moved = learners.filter((u) => isInRollout(u, 2000));
});
afterAll(async () => {
  await Promise.all(running.map((i) => i.component.kill('SIGKILL')));
  await twins.close();
  await dropRedisKeys(REDIS_URL, ...KEYS);
});

async function start(env: Record<string, string>): Promise<GuardedOrders> {
  const instance = await startGuardedOrders({ ...twins.env, ADMIN_HOST: '127.0.0.1', ...env });
  running.push(instance);
  return instance;
}
const SHADOWED_ROLLOUT = {
  REDIS_URL,
  ORDERS_ROLLOUT_BACKEND: 'vendor',
  ORDERS_SHADOW_BACKEND: 'vendor',
  ORDERS_SHADOW_SAMPLE_RATE: '1',
  ORDERS_GUARD_MISMATCH_MIN_COMPARED: '5',
  ORDERS_GUARD_POLL_MS: '200',
};
const shadowMismatches = async (instance: GuardedOrders) =>
  promSample(await instance.metrics(), 'switchyard_orders_shadow_reads_total', { outcome: 'mismatch' }) ?? 0;

it('halts on the shadow mismatch rate at 20 %, and the shadow keeps comparing afterwards', async () => {
  expect(stayed.length).toBeGreaterThanOrEqual(5);
  expect(moved.length).toBeGreaterThanOrEqual(3);
  const instance = await start({
    ...SHADOWED_ROLLOUT,
    ORDERS_ROLLOUT_PERCENT: '20',
    ORDERS_GUARD_REDIS_KEY: KEYS[0]!,
  });
  // Served by legacy, compared with the vendor in the background: every comparison differs.
  for (const user of stayed) {
    const answer = await instance.history(user);
    expect(answer.errors).toBeUndefined();
    if ((await instance.status()).rollout.halted) break;
  }
  await eventually('mismatch halt', async () => (await instance.status()).rollout.halted === true);
  const { rollout } = await instance.status();
  expect(rollout.last.record).toMatchObject({
    reason: 'mismatch_rate',
    figures: {
      mode: 'vendor',
      samples: 5,
      bad: 5,
      rate: 1,
      threshold: 0.1,
      windowMs: 300_000,
      minSamples: 5,
    },
  });
  expect(instance.component.logs.filter((l) => l.event === 'rollout_halted')).toEqual([
    expect.objectContaining({ reason: 'mismatch_rate', samples: 5, bad: 5 }),
  ]);
  expect(
    promSample(await instance.metrics(), 'switchyard_rollout_halts_total', { reason: 'mismatch_rate' }),
  ).toBe(1);

  // Halted: moved learners are served by legacy now, and their reads are still compared with the vendor.
  const before = await shadowMismatches(instance);
  for (const user of moved) expect((await instance.history(user)).errors).toBeUndefined();
  await eventually(
    'shadow reads after the halt',
    async () => (await shadowMismatches(instance)) >= before + moved.length,
  );
}, 60_000);

it('does not halt at 0 %, however many comparisons differ', async () => {
  const instance = await start({
    ...SHADOWED_ROLLOUT,
    ORDERS_ROLLOUT_PERCENT: '0',
    ORDERS_GUARD_REDIS_KEY: KEYS[1]!,
  });
  for (const user of learners) expect((await instance.history(user)).errors).toBeUndefined();
  await eventually('every read compared', async () => (await shadowMismatches(instance)) >= learners.length);
  const { rollout } = await instance.status();
  expect(rollout).toMatchObject({ halted: false, basisPoints: 0 });
  expect(rollout.windows.mismatchRate.samples).toBe(0);
  expect(promSample(await instance.metrics(), 'switchyard_rollout_halted')).toBe(0);
}, 60_000);

it('without REDIS_URL, halts one instance in memory', async () => {
  const instance = await start({
    ORDERS_ROLLOUT_BACKEND: 'vendor',
    ORDERS_ROLLOUT_PERCENT: '20',
    ORDERS_GUARD_ERROR_MIN_READS: '5',
    VENDOR_API_BREAKER_RESET_MS: '1000',
  });
  twins.vendor.setFaults({ errorRate: 1 });
  try {
    for (let i = 0; !(await instance.status()).rollout.halted; i++) {
      if (i > 50) throw new Error('never halted');
      await instance.history(moved[i % moved.length]!);
    }
    const { rollout } = await instance.status();
    expect(rollout).toMatchObject({
      store: 'memory',
      halted: true,
      last: { state: 'halted', record: { reason: 'error_rate', figures: { samples: 5, bad: 5 } } },
    });
    // Served by legacy now, while the vendor still fails: no error, no vendor call.
    const vendorCalls = twins.vendor.stats().total;
    for (const user of moved) expect(await instance.history(user)).toEqual({ systems: 'EDX' });
    expect(twins.vendor.stats().total).toBe(vendorCalls);
  } finally {
    twins.vendor.clearFaults();
  }
}, 60_000);
