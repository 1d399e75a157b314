import { randomUUID } from 'node:crypto';
import { refundJobId } from '../../../../../subgraphs/orders/queue/RefundJob';
import {
  REFUND_STATUS as STATUS,
  refundWorkerFor,
  startEligibilityStack,
  type EligibilityStack,
} from '../../../../helpers/startEligibilityStack';
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
const seed = vendorEntitlementSeed();
const ORDER = `query O($n: ID!) { order(number: $n) { number lines { title courseUuid courseRun { key } } } }`;

let sims: EligibilityStack;
let vendor: NonNullable<EligibilityStack['vendor']>;
let lms: EligibilityStack['lms'];
let stack: EligibilityStack['stack'];
let lines: EligibilityStack['lines'];

beforeAll(async () => {
  sims = await startEligibilityStack(seed, {
    vendor: true,
    prepare: ({ vendor, lms }) => {
      grantVendorEntitlements(lms.entitlements);
      // CC's revocation reaches the LMS (through the Order Fulfillment service): the entitlement expires.
      vendor!.writes.coordinator.onEntitlementRevoked = (uuid) =>
        lms.entitlements.update(uuid, { expiredAt: new Date().toISOString() });
    },
  });
  ({ lms, stack, lines } = sims);
  vendor = sims.vendor!;
});
afterAll(async () => sims.stop());

const refund = (input: Record<string, unknown>, key = randomUUID(), user = VENDOR_ENTITLED, staff = false) =>
  sims.refund(input, key, user, staff);
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
  const worker = refundWorkerFor(() => stack, VENDOR_ENTITLED);
  const startWorker = worker.start;
  const settled = worker.settled;
  afterAll(async () => worker.stop());

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
