import type { LmsEnrollments } from '../../simulators/lms/enrollmentRoute';
import type { LmsEntitlements } from '../../simulators/lms/entitlementsRoute';
import { createSeed, type Seed } from '../../simulators/seed/createSeed';
import type { SeedCourseRun } from '../../simulators/seed/seedCourseRuns';
import type { SeedLine, SeedOrder } from '../../simulators/seed/SeedOrder';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The learner whose legacy orders each hold a course entitlement meeting one case of the rule. */
export const ENTITLED_LEARNER = 'entitled1';

/** One case of the entitlement rule per order; each order buys an entitlement to its own course. */
export const ENTITLEMENT_CASES = [
  /** Bought an hour ago, unlocked, not redeemed: refundable (IMMEDIATE). */
  'open',
  /** The same, delivered DEFERRED through the worker (its order also holds a seat, not refunded). */
  'deferred',
  /** Support locked its refund (`refund_locked`). */
  'locked',
  /** Created 61 days ago: past the 60-day refund period. */
  'window',
  /** Locked; staff refund it with the override. */
  'staff',
  /** The LMS knows no entitlement from this order for its course (it names another order). */
  'mismatched',
  /** Redeemed for a run in which the learner's certificate is `downloadable`. */
  'certified',
  /** A seat in a refundable run and an entitlement: a whole-order refund makes both calls. */
  'mixed',
  /**
   * Created 20 days ago, redeemed for LATE_RUN (began 20 days ago) with an enrollment 3 days old: the
   * regain period counts from the enrollment, so still refundable.
   */
  'enrolledLater',
  /** Refundable when a DEFERRED request is accepted; support locks it before the worker delivers. */
  'lockedLater',
] as const;
export type EntitlementCase = (typeof ENTITLEMENT_CASES)[number];

const index = (which: EntitlementCase) => ENTITLEMENT_CASES.indexOf(which);
/** The legacy order number of a case. */
export const entitlementOrder = (which: EntitlementCase): string => `EDX-${980001 + index(which)}`;
/** The course (discovery uuid) whose entitlement the case's order bought. */
export const courseUuidOf = (which: EntitlementCase): string =>
  `0000e000-0000-4000-8000-${String(index(which) + 1).padStart(12, '0')}`;
/** The LMS entitlement's own uuid for the case (what ecommerce must receive). */
export const entitlementUuidOf = (which: EntitlementCase): string =>
  `e0000000-0000-4000-8000-${String(index(which) + 1).padStart(12, '0')}`;
/** The run the `certified` entitlement was redeemed for, and the `mixed` order's seat. */
export const REDEEMED_RUN = 'course-v1:SwitchyardX+Redeemed+1T2027';
export const LATE_RUN = 'course-v1:SwitchyardX+Late+1T2026';
export const MIXED_SEAT_RUN = 'course-v1:SwitchyardX+MixedSeat+1T2027';
/** The `deferred` order's seat, left alone by a refund that names its entitlement. */
export const DEFERRED_SEAT_RUN = 'course-v1:SwitchyardX+DeferredSeat+1T2027';

/**
 * The default world plus ENTITLED_LEARNER's legacy orders, each with a verified entitlement line
 * (and the `mixed` one a seat too), dated from `now` (the stack runs on the real clock).
 */
export function entitlementRefundSeed(now = Date.now()): Seed {
  const seed = createSeed();
  const run = (key: string): SeedCourseRun => ({
    key,
    course: key.split(':')[1]!.split('+').slice(0, 2).join('+'),
    org: 'SwitchyardX',
    title: `Entitlement rule: ${key}`,
    // Started five days ago: inside the 14-day regain period of an entitlement made an hour ago.
    start: iso(now - 5 * DAY),
    end: iso(now + 90 * DAY),
    pacing: 'self_paced',
    restrictionType: null,
    runType: 'verified-audit',
    seatTypes: ['audit', 'verified'],
  });
  seed.courseRuns.push(run(REDEEMED_RUN), run(MIXED_SEAT_RUN));
  for (const which of ENTITLEMENT_CASES) {
    const entitlementLine: SeedLine = {
      productId: 9500 + index(which),
      title: `Course entitlement ${which}`,
      description: `Course entitlement ${which}`,
      quantity: 1,
      unitPriceMinor: 19900,
      courseKey: null,
      certificateType: 'verified',
      organization: 'SwitchyardX',
      status: 'Complete',
      entitlement: { courseUuid: courseUuidOf(which), uuid: entitlementUuidOf(which) },
    };
    const seat: SeedLine = {
      ...entitlementLine,
      productId: 9600,
      title: `Seat in ${MIXED_SEAT_RUN}`,
      description: `Seat in ${MIXED_SEAT_RUN}`,
      unitPriceMinor: 14900,
      courseKey: MIXED_SEAT_RUN,
      entitlement: undefined,
    };
    const order: SeedOrder = {
      number: entitlementOrder(which),
      username: ENTITLED_LEARNER,
      email: `${ENTITLED_LEARNER}@example.org`,
      placedAt: iso(which === 'window' ? now - 61 * DAY : now - 3_600_000),
      status: 'Complete',
      currency: 'USD',
      lines:
        which === 'mixed'
          ? [seat, entitlementLine]
          : which === 'deferred'
            ? // A seat too, so a refund naming the entitlement shows the worker kept `courseUuid`.
              [{ ...seat, productId: 9601, courseKey: DEFERRED_SEAT_RUN }, entitlementLine]
            : [entitlementLine],
      discountMinor: 0,
      voucherCode: null,
      paymentProcessor: 'cybersource',
      paymentMethod: 'Visa 1111',
    };
    seed.orders.push(order);
  }
  return seed;
}

/**
 * The LMS's side: the entitlement each order made (CourseEntitlement rows), per case, and the
 * enrollments of the redeemed ones.
 */
export function grantEntitlements(
  entitlements: LmsEntitlements,
  enrollments: LmsEnrollments,
  now = Date.now(),
): void {
  enrollments.enroll({
    username: ENTITLED_LEARNER,
    courseId: REDEEMED_RUN,
    created: new Date(now - 3_600_000).toISOString(),
    mode: 'verified',
    isActive: true,
    courseStart: new Date(now - 5 * DAY).toISOString(),
  });
  enrollments.enroll({
    username: ENTITLED_LEARNER,
    courseId: LATE_RUN,
    created: new Date(now - 3 * DAY).toISOString(),
    mode: 'verified',
    isActive: true,
    courseStart: new Date(now - 20 * DAY).toISOString(),
  });
  for (const which of ENTITLEMENT_CASES) {
    entitlements.grant({
      username: ENTITLED_LEARNER,
      uuid: entitlementUuidOf(which),
      courseUuid: courseUuidOf(which),
      orderNumber: which === 'mismatched' ? 'EDX-979999' : entitlementOrder(which),
      mode: 'verified',
      refundLocked: which === 'locked' || which === 'staff',
      expiredAt: null,
      created: new Date(
        which === 'window' ? now - 61 * DAY : which === 'enrolledLater' ? now - 20 * DAY : now - 3_600_000,
      ).toISOString(),
      enrollmentCourseRun: which === 'certified' ? REDEEMED_RUN : which === 'enrolledLater' ? LATE_RUN : null,
    });
  }
}
