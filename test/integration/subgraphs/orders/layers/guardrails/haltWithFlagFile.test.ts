import { randomUUID } from 'node:crypto';
import type { VendorSimulator } from '../../../../../../simulators/vendor/createVendorSimulator';
import {
  dropRedisKeys,
  startGuardedRolloutUpstreams,
  type GuardedRolloutUpstreams,
} from '../../../../../helpers/guardedRolloutUpstreams';
import { promSample } from '../../../../../helpers/promSample';
import { flagFile, flagsAt } from '../../../../../helpers/rolloutFlagFile';
import {
  eventually,
  startGuardedOrders,
  type GuardedOrders,
} from '../../../../../helpers/startGuardedOrders';

// The guardrails judge the share in force, which with a flag file is whatever the file says now:
// at 0 % nothing is judged however the vendor fails; once an edit raises the share (no restart),
// the vendor's failures halt the rollout.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = `test:rollout-halt-flags:${randomUUID()}`;
const MIN_READS = 10;
const file = flagFile(flagsAt(0));

let upstreams: GuardedRolloutUpstreams;
let vendor: VendorSimulator;
let moved: string[];
let orders: GuardedOrders;

beforeAll(async () => {
  upstreams = await startGuardedRolloutUpstreams();
  ({ vendor, moved } = upstreams);
  orders = await startGuardedOrders({
    ...upstreams.env,
    REDIS_URL,
    ADMIN_HOST: '127.0.0.1',
    ORDERS_FLAGS_FILE: file.path,
    ORDERS_GUARD_REDIS_KEY: KEY,
    ORDERS_GUARD_POLL_MS: '200',
    ORDERS_GUARD_ERROR_MIN_READS: String(MIN_READS),
  });
}, 60_000);

afterAll(async () => {
  await orders?.component.kill('SIGKILL');
  await upstreams?.close();
  await dropRedisKeys(REDIS_URL, KEY);
});

it('judges nothing at 0 %, and halts once a flag-file edit has raised the share and the vendor fails', async () => {
  expect(moved.length).toBeGreaterThanOrEqual(5);
  expect((await orders.status()).rollout).toMatchObject({ basisPoints: 0, halted: false });

  // At 0 % everyone is on legacy: the vendor failing concerns nobody, and nothing is judged.
  vendor.setFaults({ errorRate: 1, errorStatus: 503 });
  for (let i = 0; i < 2 * MIN_READS; i++) {
    expect(await orders.history(moved[i % moved.length]!)).toEqual({ systems: 'EDX' });
  }
  expect((await orders.status()).rollout.halted).toBe(false);

  // The share goes to 20 % by a ConfigMap-style swap; the provider polls the file every ~5 s.
  vendor.clearFaults();
  file.swap(flagsAt(2000));
  await eventually(
    'the new share in force',
    async () =>
      (await orders.status()).rollout.basisPoints === 2000 &&
      (await orders.history(moved[0]!)).systems === '2U',
    20_000,
  );
  expect((await orders.status()).rollout).toMatchObject({ mode: 'vendor', basisPoints: 2000, halted: false });

  // Now the vendor's failures count against the rollout, and halt it.
  vendor.setFaults({ errorRate: 1, errorStatus: 503 });
  const startedAt = Date.now();
  for (let i = 0; !(await orders.status()).rollout.halted; i++) {
    if (Date.now() - startedAt > 30_000) throw new Error('never halted');
    await orders.history(moved[i % moved.length]!);
  }
  for (const user of moved) expect(await orders.history(user)).toEqual({ systems: 'EDX' });
  const text = await orders.metrics();
  expect(promSample(text, 'switchyard_rollout_halts_total', { reason: 'error_rate' })).toBe(1);
  expect(promSample(text, 'switchyard_rollout_share_basis_points', { mode: 'vendor' })).toBe(2000);
  expect(orders.component.logs.filter((l) => l.event === 'rollout_halted')).toEqual([
    expect.objectContaining({ reason: 'error_rate', mode: 'vendor' }),
  ]);
}, 90_000);
