import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { parseJwtEnv } from '../../../../../platform/config/jwtEnv';
import { createDiscoverySimulator } from '../../../../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../../../../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../../../../../simulators/legacy/createLegacyEcommerceSimulator';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../../../simulators/lms/createLmsOAuthSimulator';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../../../../simulators/vendor/createVendorSimulator';
import { parseOrdersConfig } from '../../../../../subgraphs/orders/config/ordersConfig';
import { refundJobId } from '../../../../../subgraphs/orders/queue/RefundJob';
import {
  startRefundWorker,
  type RunningRefundWorker,
} from '../../../../../subgraphs/orders/worker/startRefundWorker';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';
import {
  grantVendorEntitlements,
  VENDOR_ENTITLED,
  VENDOR_SEAT_RUN,
  vendorCourseUuidOf,
  vendorEntitlementOrder,
  vendorEntitlementSeed,
  vendorEntitlementUuidOf,
  type VendorEntitlementCase,
} from '../../../../helpers/vendorEntitlementSeed';

// Course entitlements bought from the vendor system (edX's commercetools deployment): the line's
// product type `edx_course_entitlement`, its SKU the course uuid, the LMS entitlement's uuid in its
// custom field `edxLMSEntitlementId`. The LMS's entitlement rule is read from the LMS by that uuid;
// the write is a return on that line, which Commerce Coordinator refunds and whose entitlement it
// revokes. Real HTTP: gateway → orders subgraph → vendor, LMS and discovery simulators.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}`;
const jwt = parseJwtEnv({});
const seed = vendorEntitlementSeed();
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status refundIds } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status refundIds lastError } }`;
const ORDER = `query O($n: ID!) { order(number: $n) { number lines { title courseUuid courseRun { key } } } }`;

let legacy: LegacyEcommerceSimulator;
let vendor: VendorSimulator;
let discovery: Simulator;
let lms: LmsOAuthSimulator;
let stack: TestStack;
const lines: Record<string, unknown>[] = [];
const capture = (): Logger =>
  pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  vendor = await createVendorSimulator({ orders: seed.vendorOrders ?? [], ...VENDOR_DEV_PROJECT });
  discovery = await createDiscoverySimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  lms = await createLmsOAuthSimulator({ jwt });
  grantVendorEntitlements(lms.entitlements);
  // CC's revocation reaches the LMS (through the Order Fulfillment service): the entitlement expires.
  vendor.writes.coordinator.onEntitlementRevoked = (uuid) =>
    lms.entitlements.update(uuid, { expiredAt: new Date().toISOString() });
  stack = await startTestStack(
    {
      LEGACY_ECOMMERCE_URL: legacy.url,
      DISCOVERY_URL: discovery.url,
      LMS_OAUTH2_URL: `${lms.url}/oauth2`,
      VENDOR_API_URL: vendor.url,
      VENDOR_AUTH_URL: vendor.url,
      VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
      VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
      VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
      VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
      REFUND_WINDOW_DAYS: '14',
      REDIS_URL,
      REFUND_QUEUE_PREFIX: prefix,
    },
    { logger: (component) => (component === 'orders-subgraph' ? capture() : pino({ level: 'silent' })) },
  );
});
afterAll(async () => {
  await stack.stop();
  await Promise.all([legacy.close(), vendor.close(), discovery.close(), lms.close()]);
});

const refund = (input: Record<string, unknown>, key = randomUUID(), user = VENDOR_ENTITLED, staff = false) =>
  stack.query<any>(REFUND, { user, staff, variables: { input }, headers: { 'idempotency-key': key } });
/** Vendor order updates made under this key. */
const updatesUnder = (key: string) => vendor.writes.log.filter((u) => u.idempotencyKey === key);
const entitlementReads = () => lms.stats().byRoute['entitlements.list'] ?? 0;
const lmsEntitlement = (which: VendorEntitlementCase) =>
  lms.entitlements.all.find((e) => e.uuid === vendorEntitlementUuidOf(which))!;
const handledFor = (which: VendorEntitlementCase) =>
  vendor.writes.coordinator.handled.filter((h) => h.orderNumber === vendorEntitlementOrder(which));

it('shows a vendor entitlement line with its course uuid and no course run', async () => {
  const answer = await stack.query<any>(ORDER, {
    user: VENDOR_ENTITLED,
    variables: { n: vendorEntitlementOrder('deferred') },
  });
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.order.lines).toEqual([
    expect.objectContaining({ courseUuid: null, courseRun: { key: VENDOR_SEAT_RUN } }),
    expect.objectContaining({ courseUuid: vendorCourseUuidOf('deferred'), courseRun: null }),
  ]);
});

it('refunds it with one return on that line; CC refunds once and revokes the entitlement; one LMS read', async () => {
  const key = randomUUID();
  const readsBefore = entitlementReads();
  const answer = await refund(
    { orderNumber: vendorEntitlementOrder('open'), courseUuid: vendorCourseUuidOf('open') },
    key,
  );
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.requestRefund.refundIds).toHaveLength(1);
  expect(updatesUnder(key)).toEqual([expect.objectContaining({ actions: ['addReturnInfo'] })]);
  expect(entitlementReads() - readsBefore).toBe(1);
  await vendor.writes.coordinator.idle();
  expect(handledFor('open')).toEqual([
    expect.objectContaining({
      returnItemId: answer.body.data.requestRefund.refundIds[0],
      sku: vendorCourseUuidOf('open'),
      entitlementUuid: vendorEntitlementUuidOf('open'),
    }),
  ]);
  expect(
    vendor.writes.coordinator.revokedEntitlements.filter((u) => u === vendorEntitlementUuidOf('open')),
  ).toHaveLength(1);
  expect(lmsEntitlement('open').expiredAt).not.toBeNull();

  // Again under a new key, naming it or the whole order: the line was returned in full, so nothing
  // is left (not a refusal by the now expired entitlement); no LMS read, no update.
  const readsAfter = entitlementReads();
  for (const input of [
    { orderNumber: vendorEntitlementOrder('open') },
    { orderNumber: vendorEntitlementOrder('open'), courseUuid: vendorCourseUuidOf('open') },
  ]) {
    const againKey = randomUUID();
    const again = await refund(input, againKey);
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'NOTHING_TO_REFUND' });
    expect(updatesUnder(againKey)).toEqual([]);
  }
  expect(entitlementReads()).toBe(readsAfter);
  await vendor.writes.coordinator.idle();
  expect(handledFor('open')).toHaveLength(1);
});

const refusals = [
  ['locked', 'ENTITLEMENT_REFUND_LOCKED'],
  ['window', 'REFUND_WINDOW_CLOSED'],
] as const;

it.each(
  refusals.flatMap(([which, reason]) =>
    (['IMMEDIATE', 'DEFERRED'] as const).map((d) => [which, reason, d] as const),
  ),
)('%s: REFUND_NOT_ELIGIBLE %s (%s), 0 writes, no job, no record', async (which, reason, delivery) => {
  const key = randomUUID();
  const answer = await refund({ orderNumber: vendorEntitlementOrder(which), delivery }, key);
  expect(answer.body.data).toBeNull();
  expect(answer.body.errors![0]!.extensions).toMatchObject({
    code: 'REFUND_NOT_ELIGIBLE',
    reason,
    courseUuid: vendorCourseUuidOf(which),
    retryable: false,
  });
  expect(updatesUnder(key)).toEqual([]);
  const status = await stack.query<any>(STATUS, {
    user: VENDOR_ENTITLED,
    variables: { id: refundJobId(VENDOR_ENTITLED, key) },
  });
  expect(status.body.data.refundRequest).toBeNull();
  expect(handledFor(which)).toEqual([]);
});

it('lets staff override a locked entitlement, in the audit line; a learner asking is FORBIDDEN', async () => {
  const orderNumber = vendorEntitlementOrder('staff');
  const learnerKey = randomUUID();
  const learner = await refund({ orderNumber, overrideEligibility: true }, learnerKey);
  expect(learner.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  expect(updatesUnder(learnerKey)).toEqual([]);
  const refused = await refund({ orderNumber }, randomUUID(), 'support', true);
  expect(refused.body.errors![0]!.extensions).toMatchObject({ reason: 'ENTITLEMENT_REFUND_LOCKED' });
  const key = randomUUID();
  const answer = await refund({ orderNumber, overrideEligibility: true }, key, 'support', true);
  expect(answer.body.errors).toBeUndefined();
  expect(updatesUnder(key)).toHaveLength(1);
  await vendor.writes.coordinator.idle();
  expect(handledFor('staff')).toEqual([
    expect.objectContaining({ entitlementUuid: vendorEntitlementUuidOf('staff') }),
  ]);
  expect(lines.filter((l) => l.idempotencyKey === key && l.event === 'eligibility overridden')).toEqual([
    expect.objectContaining({ user: 'support', orderNumber, courseUuids: [vendorCourseUuidOf('staff')] }),
  ]);
});

it('refuses a line CC has not fulfilled (no edxLMSEntitlementId): ENTITLEMENT_NOT_FOUND, 0 reads, 0 writes', async () => {
  const key = randomUUID();
  const readsBefore = entitlementReads();
  const answer = await refund({ orderNumber: vendorEntitlementOrder('unfulfilled') }, key);
  expect(answer.body.errors![0]!.extensions).toMatchObject({
    code: 'ENTITLEMENT_NOT_FOUND',
    courseUuid: vendorCourseUuidOf('unfulfilled'),
  });
  expect(entitlementReads()).toBe(readsBefore);
  expect(updatesUnder(key)).toEqual([]);
});

describe('a deferred vendor entitlement refund', () => {
  let worker: RunningRefundWorker | null = null;
  const startWorker = () => {
    worker ??= startRefundWorker(parseOrdersConfig(stack.upstreamEnv), REDIS_URL, pino({ level: 'silent' }));
  };
  afterAll(async () => worker?.stop());
  const settled = async (id: string, status: string) => {
    let request: any = null;
    for (let i = 0; i < 400 && request?.status !== status; i++) {
      request = (await stack.query<any>(STATUS, { user: VENDOR_ENTITLED, variables: { id } })).body.data
        .refundRequest;
      if (request?.status !== status) await new Promise((r) => setTimeout(r, 50));
    }
    return request;
  };

  // Before any worker runs: the lock lands between acceptance and delivery.
  it('is refused by the worker when support locked the entitlement since: FAILED, 0 writes', async () => {
    const key = randomUUID();
    const accepted = await refund(
      { orderNumber: vendorEntitlementOrder('lockedLater'), delivery: 'DEFERRED' },
      key,
    );
    expect(accepted.body.data.requestRefund.status).toBe('PENDING');
    lms.entitlements.update(vendorEntitlementUuidOf('lockedLater'), { refundLocked: true });
    startWorker();
    expect(await settled(accepted.body.data.requestRefund.id, 'FAILED')).toMatchObject({
      lastError: expect.stringContaining('REFUND_NOT_ELIGIBLE'),
    });
    expect(updatesUnder(key)).toEqual([]);
  });

  it('is delivered by the worker, which checks the rule again: two reads, one return of that line only', async () => {
    const key = randomUUID();
    const readsBefore = entitlementReads();
    const accepted = await refund(
      {
        orderNumber: vendorEntitlementOrder('deferred'),
        courseUuid: vendorCourseUuidOf('deferred').toUpperCase(),
        delivery: 'DEFERRED',
      },
      key,
    );
    expect(accepted.body.errors).toBeUndefined();
    startWorker();
    const done = await settled(accepted.body.data.requestRefund.id, 'DELIVERED');
    expect(done).toMatchObject({ status: 'DELIVERED', refundIds: [expect.any(String)] });
    expect(updatesUnder(key)).toHaveLength(1);
    expect(entitlementReads() - readsBefore).toBe(2);
    await vendor.writes.coordinator.idle();
    // Only the entitlement line: the seat beside it was not named.
    expect(handledFor('deferred')).toEqual([
      expect.objectContaining({
        sku: vendorCourseUuidOf('deferred'),
        entitlementUuid: vendorEntitlementUuidOf('deferred'),
      }),
    ]);
    expect(lmsEntitlement('deferred').expiredAt).not.toBeNull();
  });
});
