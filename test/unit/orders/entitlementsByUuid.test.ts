import { RefundEligibility } from '../../../subgraphs/orders/eligibility/RefundEligibility';
import type { LmsEntitlement } from '../../../subgraphs/orders/eligibility/LmsEntitlements';
import type { RefundFacts } from '../../../subgraphs/orders/domain/RefundFacts';

// The rule's lookup when the order itself names each line's LMS entitlement (vendor
// `edxLMSEntitlementId`): one read by uuid, none when no line names one or more than one read holds.
const NOW = Date.parse('2026-06-01T00:00:00Z');
const course = (i: number) => `0000f000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const uuid = (i: number) => `f0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const held = (i: number, over: Partial<LmsEntitlement> = {}): LmsEntitlement => ({
  uuid: uuid(i),
  courseUuid: course(i),
  orderNumber: '2U-1',
  mode: 'verified',
  refundLocked: false,
  expiredAt: null,
  created: new Date(NOW - 3_600_000).toISOString(),
  enrollmentCourseRun: null,
  ...over,
});

function setUp(answer: LmsEntitlement[]) {
  const reads: string[][] = [];
  const eligibility = new RefundEligibility({
    courseRuns: { get: async () => null },
    certificates: { statusOf: async () => null },
    entitlements: {
      forOrder: async () => {
        throw new Error('the order names its uuids: no lookup by order number');
      },
      byUuids: async (_user, uuids) => {
        reads.push([...uuids]);
        return new Map(answer.filter((e) => uuids.includes(e.uuid)).map((e) => [e.uuid, e]));
      },
    },
    enrollments: { get: async () => null },
    windowMs: 14 * 86_400_000,
    now: () => NOW,
  });
  return { eligibility, reads };
}
const facts = (count: number, named: (i: number) => string | null = uuid): RefundFacts => {
  const courses = Array.from({ length: count }, (_, i) => course(i + 1));
  return {
    orderNumber: '2U-1',
    owner: 'learner',
    placedAt: new Date(NOW - 3_600_000).toISOString(),
    courseRunKeys: [],
    entitlementCourseUuids: courses,
    entitlementUuids: Object.fromEntries(courses.map((c, i) => [c, named(i + 1)])),
  };
};
const call = { requestId: 'r', override: false, audit: () => undefined };

it('reads the named entitlements once and admits with their uuids', async () => {
  const { eligibility, reads } = setUp([held(1), held(2)]);
  await expect(eligibility.check(facts(2), call)).resolves.toEqual({
    entitlements: { [course(1)]: uuid(1), [course(2)]: uuid(2) },
  });
  expect(reads).toEqual([[uuid(1), uuid(2)]]);
});

it('refuses under the rule from what the LMS holds for that uuid', async () => {
  const { eligibility } = setUp([held(1, { refundLocked: true })]);
  await expect(eligibility.check(facts(1), call)).rejects.toMatchObject({
    extensions: {
      code: 'REFUND_NOT_ELIGIBLE',
      reason: 'ENTITLEMENT_REFUND_LOCKED',
      courseUuid: course(1),
    },
  });
});

it('is ENTITLEMENT_NOT_FOUND when the uuid names another course, or the line names none (no read)', async () => {
  const other = setUp([held(1, { courseUuid: course(9) })]);
  await expect(other.eligibility.check(facts(1), call)).rejects.toMatchObject({
    extensions: { code: 'ENTITLEMENT_NOT_FOUND' },
  });
  const unfulfilled = setUp([held(1)]);
  await expect(
    unfulfilled.eligibility.check(
      facts(1, () => null),
      call,
    ),
  ).rejects.toMatchObject({ extensions: { code: 'ENTITLEMENT_NOT_FOUND' } });
  expect(unfulfilled.reads).toEqual([]);
});

it('reads nothing for more uuids than one page holds (101), and refuses', async () => {
  const { eligibility, reads } = setUp([]);
  await expect(eligibility.check(facts(101), { ...call, override: true })).rejects.toMatchObject({
    extensions: { code: 'ENTITLEMENT_NOT_FOUND' },
  });
  expect(reads).toEqual([]);
});
