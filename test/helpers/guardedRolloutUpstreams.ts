import pino from 'pino';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { createRedisClient } from '../../platform/redis/createRedisClient';
import { whenReady } from '../../platform/redis/whenReady';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import type { Simulator } from '../../simulators/kit/createSimulator';
import { createLmsOAuthSimulator } from '../../simulators/lms/createLmsOAuthSimulator';
import { createSeed } from '../../simulators/seed/createSeed';
import { seedLmsAccounts } from '../../simulators/seed/lmsUserIdOf';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../simulators/vendor/createVendorSimulator';
import { isInRollout } from '../../subgraphs/orders/layers/rollout/rolloutBucket';

export interface GuardedRolloutUpstreams {
  legacy: Simulator;
  vendor: VendorSimulator;
  lms: Simulator;
  /** The orders subgraph's upstream variables for these simulators. */
  env: Record<string, string>;
  /** learner1…learnerN with legacy orders inside a 20 % rollout; each has vendor copies numbered 2U-9…. */
  moved: string[];
  /** The same outside it: legacy orders only. */
  stayed: string[];
  close(): Promise<void>;
}

/**
 * The upstreams of the guardrail tests: legacy, vendor and LMS simulators, where the learners a 20 %
 * rollout moves also have their orders on the vendor, numbered `2U-9…`, so an answer's number prefix
 * says which system served it.
 */
export async function startGuardedRolloutUpstreams(learnerCount = 50): Promise<GuardedRolloutUpstreams> {
  const seed = createSeed();
  const jwt = parseJwtEnv({});
  const learners = Array.from({ length: learnerCount }, (_, i) => `learner${i + 1}`);
  const inLegacy = new Set(seed.orders.map((o) => o.username));
  const moved = learners.filter((u) => isInRollout(u, 2000) && inLegacy.has(u));
  const stayed = learners.filter((u) => !isInRollout(u, 2000) && inLegacy.has(u));
  const vendorCopies = seed.orders
    .filter((o) => moved.includes(o.username))
    .map((o) => ({ ...structuredClone(o), number: o.number.replace(/^EDX-/, '2U-9'), imported: true }));
  const legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  const vendor = await createVendorSimulator({ orders: vendorCopies });
  const lms = await createLmsOAuthSimulator({ jwt, accounts: seedLmsAccounts(seed) });
  return {
    legacy,
    vendor,
    lms,
    moved,
    stayed,
    env: {
      LEGACY_ECOMMERCE_URL: legacy.url,
      VENDOR_API_URL: vendor.url,
      VENDOR_AUTH_URL: vendor.url,
      VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
      VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
      VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
      VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
      LMS_OAUTH2_URL: `${lms.url}/oauth2`,
    },
    close: async () => {
      await Promise.all([legacy, vendor, lms].map((s) => s.close()));
    },
  };
}

/** Deletes the halt keys a test used: the shared Redis outlives it, and a halt key never expires. */
export async function dropRedisKeys(url: string, ...keys: string[]): Promise<void> {
  const redis = createRedisClient(url, 'test-cleanup', pino({ level: 'silent' }));
  await whenReady(redis, 2000);
  await redis.del(...keys);
  redis.disconnect();
}
