import { randomUUID } from 'node:crypto';
import { refundJobId } from '../../../../../subgraphs/orders/queue/RefundJob';
import {
  REFUND_STATUS as STATUS,
  refundWorkerFor,
  startEligibilityStack,
  type EligibilityStack,
} from '../../../../helpers/startEligibilityStack';
import {
  courseUuidOf,
  ENTITLED_LEARNER,
  entitlementOrder,
  entitlementRefundSeed,
  entitlementUuidOf,
  grantEntitlements,
  MIXED_SEAT_RUN,
  REDEEMED_RUN,
} from '../../../../helpers/entitlementRefundSeed';

// Course entitlements bought from the legacy system, refunded as the LMS refunds them: ecommerce's
// `POST /api/v2/refunds/ {username, order_number, entitlement_uuid}`, the uuid read from the LMS
// entitlements API, and the LMS's rule (CourseEntitlement.is_entitlement_refundable) checked first.
// Real HTTP: gateway → orders subgraph → legacy, LMS and discovery simulators.
const seed = entitlementRefundSeed();
/** A learner with 600 entitlements, the one their order bought the 551st: past the five pages read. */
const MANY = 'entitled_many';
const MANY_ORDER = 'EDX-981000';
const MANY_COURSE = '1000e000-0000-4000-8000-000000000551';
seed.orders.push({
  ...seed.orders.find((o) => o.number === entitlementOrder('open'))!,
  number: MANY_ORDER,
  username: MANY,
  email: `${MANY}@example.org`,
  lines: [
    {
      ...seed.orders.find((o) => o.number === entitlementOrder('open'))!.lines[0]!,
      entitlement: { courseUuid: MANY_COURSE, uuid: 'e1000000-0000-4000-8000-000000000551' },
    },
  ],
});
const PROCESS = `mutation P($input: ProcessRefundInput!) { processRefund(input: $input) { id status } }`;
const ORDER = `query O($n: ID!) { order(number: $n) { number lines { title courseUuid courseRun { key } } } }`;

let sims: EligibilityStack;
let legacy: EligibilityStack['legacy'];
let lms: EligibilityStack['lms'];
let stack: EligibilityStack['stack'];
let lines: EligibilityStack['lines'];

beforeAll(async () => {
  sims = await startEligibilityStack(seed, {
    prepare: ({ lms }) => {
      grantEntitlements(lms.entitlements, lms.enrollments);
      for (let i = 1; i <= 600; i++) {
        const n = String(i).padStart(12, '0');
        lms.entitlements.grant({
          username: MANY,
          uuid: `e1000000-0000-4000-8000-${n}`,
          courseUuid: `1000e000-0000-4000-8000-${n}`,
          orderNumber: i === 551 ? MANY_ORDER : `EDX-${970000 + i}`,
          mode: 'verified',
          refundLocked: false,
          expiredAt: null,
          created: new Date().toISOString(),
          enrollmentCourseRun: null,
        });
      }
      lms.certificates.issue({
        username: ENTITLED_LEARNER,
        courseId: REDEEMED_RUN,
        status: 'downloadable',
        certificateType: 'verified',
      });
    },
  });
  ({ legacy, lms, stack, lines } = sims);
});
afterAll(async () => sims.stop());

const refund = (input: Record<string, unknown>, key = randomUUID(), user = ENTITLED_LEARNER, staff = false) =>
  sims.refund(input, key, user, staff);
/** The refund-creation bodies ecommerce received under this key. */
const bodiesUnder = (key: string) =>
  legacy.writes.refundBodies.filter((call) => call.idempotencyKey === key).map((call) => call.body);
const entitlementReads = () => lms.stats().byRoute['entitlements.list'] ?? 0;
const byUuid = (which: Parameters<typeof entitlementUuidOf>[0]) => ({
  username: ENTITLED_LEARNER,
  order_number: entitlementOrder(which),
  entitlement_uuid: entitlementUuidOf(which),
});

it('shows an entitlement line with its course uuid and no course run', async () => {
  const answer = await stack.query<any>(ORDER, {
    user: ENTITLED_LEARNER,
    variables: { n: entitlementOrder('mixed') },
  });
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.order.lines).toEqual([
    expect.objectContaining({ courseUuid: null, courseRun: { key: MIXED_SEAT_RUN } }),
    expect.objectContaining({ courseUuid: courseUuidOf('mixed'), courseRun: null }),
  ]);
});

it('refunds an entitlement by its LMS uuid: one create with order_number + entitlement_uuid, one LMS read', async () => {
  const key = randomUUID();
  const readsBefore = entitlementReads();
  const answer = await refund(
    { orderNumber: entitlementOrder('open'), courseUuid: courseUuidOf('open') },
    key,
  );
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.requestRefund).toMatchObject({ status: 'OPEN', refundIds: [expect.any(String)] });
  // Exactly the LMS's own call (refund_entitlement): no course_id.
  expect(bodiesUnder(key)).toEqual([byUuid('open')]);
  expect(entitlementReads() - readsBefore).toBe(1);
  const made = legacy.writes.refunds.filter((r) => r.idempotencyKey === key);
  expect(made).toEqual([
    expect.objectContaining({
      orderNumber: entitlementOrder('open'),
      courseKeys: [],
      entitlementUuids: [entitlementUuidOf('open')],
      totalCredit: '199.00',
    }),
  ]);

  // Staff approve it: the payment is credited and the entitlement revoked (revoke_line), once.
  const approved = await stack.query<any>(PROCESS, {
    user: 'support',
    staff: true,
    variables: { input: { id: answer.body.data.requestRefund.id, action: 'APPROVE' } },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(approved.body.errors).toBeUndefined();
  expect(approved.body.data.processRefund.status).toBe('APPROVED');
  expect(legacy.writes.effects.credited).toEqual([made[0]!.id]);
  expect(legacy.writes.effects.revokedEntitlements).toEqual([
    `${ENTITLED_LEARNER}\u0000${entitlementUuidOf('open')}`,
  ]);
  expect(legacy.writes.effects.revokedSeats).toEqual([]);

  // Again, under a new key: the line has a refund line now; ecommerce answers 400 and nothing is made.
  const againKey = randomUUID();
  const again = await refund({ orderNumber: entitlementOrder('open') }, againKey);
  expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'NOTHING_TO_REFUND' });
  expect(bodiesUnder(againKey)).toEqual([byUuid('open')]);
  expect(legacy.writes.refunds.filter((r) => r.idempotencyKey === againKey)).toEqual([]);
});

it('refunds a seat and an entitlement of one order: a course_id call and an entitlement call', async () => {
  const key = randomUUID();
  const answer = await refund({ orderNumber: entitlementOrder('mixed') }, key);
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.requestRefund.refundIds).toHaveLength(2);
  expect(bodiesUnder(key)).toEqual(
    expect.arrayContaining([byUuid('mixed'), { username: ENTITLED_LEARNER, course_id: MIXED_SEAT_RUN }]),
  );
  expect(bodiesUnder(key)).toHaveLength(2);
});

it('counts the regain period from a late enrollment, as the LMS does: refundable, one write', async () => {
  // Redeemed for a run that began 20 days ago, enrolled 3 days ago: 14 days from the enrollment.
  const key = randomUUID();
  const answer = await refund({ orderNumber: entitlementOrder('enrolledLater') }, key);
  expect(answer.body.errors).toBeUndefined();
  expect(bodiesUnder(key)).toEqual([byUuid('enrolledLater')]);
});

const refusals = [
  ['locked', 'ENTITLEMENT_REFUND_LOCKED'],
  ['window', 'REFUND_WINDOW_CLOSED'],
  ['certified', 'CERTIFICATE_ISSUED'],
] as const;

it.each(
  refusals.flatMap(([which, reason]) =>
    (['IMMEDIATE', 'DEFERRED'] as const).map((d) => [which, reason, d] as const),
  ),
)('%s: REFUND_NOT_ELIGIBLE %s (%s), 0 writes, no job, no record', async (which, reason, delivery) => {
  const key = randomUUID();
  const answer = await refund({ orderNumber: entitlementOrder(which), delivery }, key);
  expect(answer.body.data).toBeNull();
  expect(answer.body.errors![0]!.extensions).toMatchObject({
    code: 'REFUND_NOT_ELIGIBLE',
    reason,
    courseUuid: courseUuidOf(which),
    retryable: false,
  });
  // Created 61 days ago: the 60-day period ended (day 61 began) about now, before this request.
  if (which === 'window')
    expect(Date.parse(String(answer.body.errors![0]!.extensions!.refundDeadline))).toBeLessThanOrEqual(
      Date.now(),
    );
  expect(bodiesUnder(key)).toEqual([]);
  const status = await stack.query<any>(STATUS, {
    user: ENTITLED_LEARNER,
    variables: { id: refundJobId(ENTITLED_LEARNER, key) },
  });
  expect(status.body.data.refundRequest).toBeNull();
  const again = await refund({ orderNumber: entitlementOrder(which), delivery, reason: 'other' }, key);
  expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'REFUND_NOT_ELIGIBLE', reason });
});

it('lets staff override a locked entitlement, in the audit line; a learner asking is FORBIDDEN', async () => {
  const orderNumber = entitlementOrder('staff');
  const learnerKey = randomUUID();
  const learner = await refund({ orderNumber, overrideEligibility: true }, learnerKey);
  expect(learner.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  expect(bodiesUnder(learnerKey)).toEqual([]);
  const refused = await refund({ orderNumber }, randomUUID(), 'support', true);
  expect(refused.body.errors![0]!.extensions).toMatchObject({ reason: 'ENTITLEMENT_REFUND_LOCKED' });
  const key = randomUUID();
  const answer = await refund({ orderNumber, overrideEligibility: true }, key, 'support', true);
  expect(answer.body.errors).toBeUndefined();
  expect(bodiesUnder(key)).toEqual([byUuid('staff')]);
  expect(lines.filter((l) => l.idempotencyKey === key && l.event === 'eligibility overridden')).toEqual([
    expect.objectContaining({ user: 'support', orderNumber, courseUuids: [courseUuidOf('staff')] }),
  ]);
});

it('refuses an entitlement the LMS does not know for this order: ENTITLEMENT_NOT_FOUND, 0 writes', async () => {
  for (const delivery of ['IMMEDIATE', 'DEFERRED']) {
    const key = randomUUID();
    const answer = await refund({ orderNumber: entitlementOrder('mismatched'), delivery }, key);
    expect(answer.body.errors![0]!.extensions).toMatchObject({
      code: 'ENTITLEMENT_NOT_FOUND',
      courseUuid: courseUuidOf('mismatched'),
      retryable: false,
    });
    expect(bodiesUnder(key)).toEqual([]);
  }
  // Even staff overriding the rule cannot refund what ecommerce has no uuid for.
  const key = randomUUID();
  const staff = await refund(
    { orderNumber: entitlementOrder('mismatched'), overrideEligibility: true },
    key,
    'support',
    true,
  );
  expect(staff.body.errors![0]!.extensions).toMatchObject({ code: 'ENTITLEMENT_NOT_FOUND' });
  expect(bodiesUnder(key)).toEqual([]);
});

it('refuses a course the order has no entitlement for, and a course run and a course at once', async () => {
  const key = randomUUID();
  const readsBefore = entitlementReads();
  const other = await refund(
    { orderNumber: entitlementOrder('locked'), courseUuid: courseUuidOf('mixed') },
    key,
  );
  expect(other.body.errors![0]!.extensions).toMatchObject({ code: 'NOTHING_TO_REFUND' });
  expect(entitlementReads()).toBe(readsBefore);
  const both = await refund(
    {
      orderNumber: entitlementOrder('mixed'),
      courseRunKey: MIXED_SEAT_RUN,
      courseUuid: courseUuidOf('mixed'),
    },
    key,
  );
  expect(both.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  const malformed = await refund(
    { orderNumber: entitlementOrder('locked'), courseUuid: 'not-a-uuid' },
    randomUUID(),
  );
  expect(malformed.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(bodiesUnder(key)).toEqual([]);
});

it('reads at most five pages of 100 entitlements, then refuses rather than read on', async () => {
  const key = randomUUID();
  const readsBefore = entitlementReads();
  const answer = await refund({ orderNumber: MANY_ORDER }, key, MANY);
  expect(answer.body.errors![0]!.extensions).toMatchObject({
    code: 'ENTITLEMENT_NOT_FOUND',
    courseUuid: MANY_COURSE,
  });
  expect(entitlementReads() - readsBefore).toBe(5);
  expect(bodiesUnder(key)).toEqual([]);
});

describe('a deferred entitlement refund', () => {
  const worker = refundWorkerFor(() => stack, ENTITLED_LEARNER);
  const startWorker = worker.start;
  const settled = worker.settled;
  afterAll(async () => worker.stop());

  // First, before any worker runs: the lock lands between acceptance and delivery.
  it('is refused by the worker when support locked the entitlement since: FAILED, 0 writes', async () => {
    const key = randomUUID();
    const accepted = await refund(
      { orderNumber: entitlementOrder('lockedLater'), delivery: 'DEFERRED' },
      key,
    );
    expect(accepted.body.data.requestRefund.status).toBe('PENDING');
    lms.entitlements.update(entitlementUuidOf('lockedLater'), { refundLocked: true });
    startWorker();
    expect(await settled(accepted.body.data.requestRefund.id, 'FAILED')).toMatchObject({
      status: 'FAILED',
      lastError: expect.stringContaining('REFUND_NOT_ELIGIBLE'),
    });
    expect(bodiesUnder(key)).toEqual([]);
  });

  it('is delivered by the worker, which checks the rule and reads the uuid again: two reads, one write', async () => {
    const key = randomUUID();
    const readsBefore = entitlementReads();
    // The course uuid in capitals: the same course, as the LMS and ecommerce write it in lower case.
    const accepted = await refund(
      {
        orderNumber: entitlementOrder('deferred'),
        courseUuid: courseUuidOf('deferred').toUpperCase(),
        delivery: 'DEFERRED',
      },
      key,
    );
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data.requestRefund.status).toBe('PENDING');
    startWorker();
    expect(await settled(accepted.body.data.requestRefund.id, 'OPEN')).toMatchObject({
      status: 'OPEN',
      refundIds: [expect.any(String)],
    });
    // Only the entitlement: the order's seat was not named, and the queued input kept `courseUuid`.
    expect(bodiesUnder(key)).toEqual([byUuid('deferred')]);
    // One read to accept, one by the worker to admit it again.
    expect(entitlementReads() - readsBefore).toBe(2);
  });
});
