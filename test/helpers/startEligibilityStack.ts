import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { createDiscoverySimulator } from '../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../simulators/lms/createLmsOAuthSimulator';
import type { Seed } from '../../simulators/seed/createSeed';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../simulators/vendor/createVendorSimulator';
import { parseOrdersConfig } from '../../subgraphs/orders/config/ordersConfig';
import { startRefundWorker, type RunningRefundWorker } from '../../subgraphs/orders/worker/startRefundWorker';
import { startTestStack, type TestStack } from './startTestStack';

export const ELIGIBILITY_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status refundIds } }`;
export const REFUND_STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status refundIds lastError } }`;

export interface EligibilityStack {
  legacy: LegacyEcommerceSimulator;
  /** Started when asked for (`vendor: true`), and the orders subgraph configured for it. */
  vendor: VendorSimulator | null;
  discovery: Simulator;
  lms: LmsOAuthSimulator;
  stack: TestStack;
  /** The orders subgraph's log lines (info and up), parsed, in order. */
  lines: Record<string, unknown>[];
  /** `requestRefund` as `user` (a learner unless `staff`), under the idempotency key given. */
  refund(input: Record<string, unknown>, key: string, user: string, staff?: boolean): Promise<any>;
  stop(): Promise<void>;
}

/**
 * The refund-rule suites' stack (docs/reference/lms-entitlements.md, legacy-ecommerce.md "Refunds"):
 * the legacy, discovery and LMS simulators (and the vendor's when asked), the orders subgraph on a real
 * Redis with a queue prefix of its own, a 14-day refund window, its log captured. `prepare` sets the
 * simulators' data (entitlements, certificates) before the stack starts.
 */
export async function startEligibilityStack(
  seed: Seed,
  options: {
    vendor?: boolean;
    prepare?: (sims: Omit<EligibilityStack, 'stack' | 'lines' | 'refund' | 'stop'>) => void;
  },
): Promise<EligibilityStack> {
  const jwt = parseJwtEnv({});
  const legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  const vendor = options.vendor
    ? await createVendorSimulator({ orders: seed.vendorOrders ?? [], ...VENDOR_DEV_PROJECT })
    : null;
  const discovery = await createDiscoverySimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  const lms = await createLmsOAuthSimulator({ jwt });
  options.prepare?.({ legacy, vendor, discovery, lms });
  const lines: Record<string, unknown>[] = [];
  const capture = (): Logger =>
    pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const stack = await startTestStack(
    {
      LEGACY_ECOMMERCE_URL: legacy.url,
      DISCOVERY_URL: discovery.url,
      LMS_OAUTH2_URL: `${lms.url}/oauth2`,
      ...(vendor
        ? {
            VENDOR_API_URL: vendor.url,
            VENDOR_AUTH_URL: vendor.url,
            VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
            VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
            VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
            VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
          }
        : {}),
      REFUND_WINDOW_DAYS: '14',
      REDIS_URL: ELIGIBILITY_REDIS_URL,
      REFUND_QUEUE_PREFIX: `test-${randomUUID()}`,
    },
    { logger: (component) => (component === 'orders-subgraph' ? capture() : pino({ level: 'silent' })) },
  );
  return {
    legacy,
    vendor,
    discovery,
    lms,
    stack,
    lines,
    refund: (input, key, user, staff = false) =>
      stack.query<any>(REFUND, { user, staff, variables: { input }, headers: { 'idempotency-key': key } }),
    stop: async () => {
      await stack.stop();
      await Promise.all([legacy.close(), vendor?.close(), discovery.close(), lms.close()]);
    },
  };
}

/**
 * A refund worker for a stack, started when a test first needs one (jobs queued before it wait), and
 * a poll of a refund request as its owner reads it until it reaches a status: no clock is involved,
 * the worker is simply left to finish.
 */
export function refundWorkerFor(stack: () => TestStack, owner: string) {
  let worker: RunningRefundWorker | null = null;
  return {
    start: () => {
      worker ??= startRefundWorker(
        parseOrdersConfig(stack().upstreamEnv),
        ELIGIBILITY_REDIS_URL,
        pino({ level: 'silent' }),
      );
    },
    stop: async () => worker?.stop(),
    settled: async (id: string, status: string) => {
      let request: any = null;
      for (let i = 0; i < 400 && request?.status !== status; i++) {
        request = (await stack().query<any>(REFUND_STATUS, { user: owner, variables: { id } })).body.data
          .refundRequest;
        if (request?.status !== status) await new Promise((r) => setTimeout(r, 50));
      }
      return request;
    },
  };
}
