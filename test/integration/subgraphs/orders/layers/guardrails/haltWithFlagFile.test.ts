import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { parseJwtEnv } from '../../../../../../platform/config/jwtEnv';
import { createRedisClient } from '../../../../../../platform/redis/createRedisClient';
import { whenReady } from '../../../../../../platform/redis/whenReady';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
} from '../../../../../../simulators/legacy/createLegacyEcommerceSimulator';
import type { Simulator } from '../../../../../../simulators/kit/createSimulator';
import { createLmsOAuthSimulator } from '../../../../../../simulators/lms/createLmsOAuthSimulator';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { seedLmsAccounts } from '../../../../../../simulators/seed/lmsUserIdOf';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../../../../../simulators/vendor/createVendorSimulator';
import { isInRollout } from '../../../../../../subgraphs/orders/layers/rollout/rolloutBucket';
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
const seed = createSeed();
const jwt = parseJwtEnv({});
const learners = Array.from({ length: 50 }, (_, i) => `learner${i + 1}`);
const inLegacy = new Set(seed.orders.map((o) => o.username));
const moved = learners.filter((u) => isInRollout(u, 2000) && inLegacy.has(u));
const vendorCopies = seed.orders
  .filter((o) => moved.includes(o.username))
  .map((o) => ({ ...structuredClone(o), number: o.number.replace(/^EDX-/, '2U-9'), imported: true }));
const silent = pino({ level: 'silent' });
const file = flagFile(flagsAt(0));

let legacy: Simulator;
let vendor: VendorSimulator;
let lms: Simulator;
let orders: GuardedOrders;

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  vendor = await createVendorSimulator({ orders: vendorCopies });
  lms = await createLmsOAuthSimulator({ jwt, accounts: seedLmsAccounts(seed) });
  orders = await startGuardedOrders({
    LEGACY_ECOMMERCE_URL: legacy.url,
    VENDOR_API_URL: vendor.url,
    VENDOR_AUTH_URL: vendor.url,
    VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
    VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
    VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
    VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
    LMS_OAUTH2_URL: `${lms.url}/oauth2`,
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
  await Promise.all([legacy, vendor, lms].map((s) => s?.close()));
  const redis = createRedisClient(REDIS_URL, 'test-cleanup', silent);
  await whenReady(redis, 2000);
  await redis.del(KEY);
  redis.disconnect();
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
