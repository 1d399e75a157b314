import { randomUUID } from 'node:crypto';
import { refundJobId } from '../../../../../subgraphs/orders/queue/RefundJob';
import {
  REFUND_STATUS as STATUS,
  refundWorkerFor,
  startEligibilityStack,
  type EligibilityStack,
} from '../../../../helpers/startEligibilityStack';
import {
  RULE_CASES,
  RULE_LEARNER,
  refundRuleSeed,
  ruleOrder,
  type RuleCase,
} from '../../../../helpers/refundRuleSeed';

// The LMS's refund rule (CourseEnrollment.refundable()) at its default 14-day window, over real HTTP:
// orders from the legacy and vendor simulators, course runs from discovery, certificates from the LMS.
// A refusal is REFUND_NOT_ELIGIBLE with its reason, and nothing is written, queued or kept.
const seed = refundRuleSeed();

let sims: EligibilityStack;
let legacy: EligibilityStack['legacy'];
let vendor: NonNullable<EligibilityStack['vendor']>;
let lms: EligibilityStack['lms'];
let stack: EligibilityStack['stack'];
let lines: EligibilityStack['lines'];

beforeAll(async () => {
  sims = await startEligibilityStack(seed, {
    vendor: true,
    prepare: ({ lms }) => {
      // The learner passed this course: the LMS generated their certificate.
      lms.certificates.issue({
        username: RULE_LEARNER,
        courseId: RULE_CASES.certified,
        status: 'downloadable',
        certificateType: 'verified',
      });
    },
  });
  ({ legacy, lms, stack, lines } = sims);
  vendor = sims.vendor!;
});
afterAll(async () => sims.stop());

type Backend = 'legacy' | 'vendor';
const refund = (input: Record<string, unknown>, key = randomUUID(), user = RULE_LEARNER, staff = false) =>
  sims.refund(input, key, user, staff);
/** Upstream writes made under this key: legacy refund calls, vendor order updates. */
const writesUnder = (backend: Backend, key: string) =>
  backend === 'legacy'
    ? (legacy.writes.refundCallsByKey.get(key) ?? 0)
    : vendor.writes.log.filter((update) => update.idempotencyKey === key).length;

const refusals: [RuleCase, string][] = [
  ['windowClosed', 'REFUND_WINDOW_CLOSED'],
  ['certified', 'CERTIFICATE_ISSUED'],
  ['noVerified', 'NO_VERIFIED_MODE'],
];

describe.each<Backend>(['legacy', 'vendor'])('%s orders', (backend) => {
  it.each(
    refusals.flatMap(([which, reason]) =>
      (['IMMEDIATE', 'DEFERRED'] as const).map((d) => [which, reason, d] as const),
    ),
  )('%s: REFUND_NOT_ELIGIBLE %s (%s), 0 writes, no job, no record', async (which, reason, delivery) => {
    const key = randomUUID();
    const orderNumber = ruleOrder(backend, which);
    const answer = await refund({ orderNumber, delivery }, key);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors![0]!.extensions).toMatchObject({
      code: 'REFUND_NOT_ELIGIBLE',
      reason,
      courseRunKey: RULE_CASES[which],
      retryable: false,
    });
    expect(writesUnder(backend, key)).toBe(0);
    // No job: the id the request would have had names nothing.
    const id = refundJobId(RULE_LEARNER, key);
    const status = await stack.query<any>(STATUS, { user: RULE_LEARNER, variables: { id } });
    expect(status.body.data.refundRequest).toBeNull();
    // No record under the key: the same key with other arguments is a fresh request, not a mismatch.
    const again = await refund({ orderNumber, delivery, reason: 'other arguments' }, key);
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'REFUND_NOT_ELIGIBLE', reason });
  });

  it('refunds an order inside the rule, once', async () => {
    const key = randomUUID();
    const answer = await refund({ orderNumber: ruleOrder(backend, 'open') }, key);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.requestRefund.refundIds.length).toBeGreaterThan(0);
    expect(writesUnder(backend, key)).toBe(1);
  });

  it('lets staff override the rule, and says so in the audit line; a learner asking is FORBIDDEN', async () => {
    const orderNumber = ruleOrder(backend, 'staff');
    const learnerKey = randomUUID();
    const learner = await refund({ orderNumber, overrideEligibility: true }, learnerKey);
    expect(learner.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(writesUnder(backend, learnerKey)).toBe(0);
    const refused = await refund({ orderNumber }, randomUUID(), 'support', true);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ reason: 'REFUND_WINDOW_CLOSED' });
    const key = randomUUID();
    const answer = await refund({ orderNumber, overrideEligibility: true }, key, 'support', true);
    expect(answer.body.errors).toBeUndefined();
    expect(writesUnder(backend, key)).toBe(1);
    expect(lines.filter((l) => l.idempotencyKey === key && l.event === 'eligibility overridden')).toEqual([
      expect.objectContaining({ user: 'support', orderNumber, courseRunKeys: [RULE_CASES.staff] }),
    ]);
  });
});

describe('a deferred refund', () => {
  const worker = refundWorkerFor(() => stack, RULE_LEARNER);
  afterAll(async () => worker.stop());

  it('is checked again by the worker: a certificate issued since the request refuses it, 0 writes', async () => {
    const key = randomUUID();
    const accepted = await refund(
      { orderNumber: ruleOrder('legacy', 'certifiedLater'), delivery: 'DEFERRED' },
      key,
    );
    expect(accepted.body.data.requestRefund.status).toBe('PENDING');
    lms.certificates.issue({
      username: RULE_LEARNER,
      courseId: RULE_CASES.certifiedLater,
      status: 'generating',
      certificateType: 'verified',
    });
    worker.start();
    const request = await worker.settled(accepted.body.data.requestRefund.id as string, 'FAILED');
    expect(request).toMatchObject({
      status: 'FAILED',
      lastError: expect.stringContaining('REFUND_NOT_ELIGIBLE'),
    });
    expect(writesUnder('legacy', key)).toBe(0);
  });
});
