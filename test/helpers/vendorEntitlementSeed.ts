import type { LmsEntitlements } from '../../simulators/lms/entitlementsRoute';
import { createSeed, type Seed } from '../../simulators/seed/createSeed';
import type { SeedLine, SeedOrder } from '../../simulators/seed/SeedOrder';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The learner whose vendor orders each hold a course entitlement meeting one case of the rule. */
export const VENDOR_ENTITLED = 'vendor_entitled1';

/** One case of the entitlement rule per vendor order; each buys an entitlement to its own course. */
export const VENDOR_ENTITLEMENT_CASES = [
  /** Bought an hour ago, unlocked, not redeemed: refundable (IMMEDIATE). */
  'open',
  /** The same, delivered DEFERRED through the worker; its order also holds a seat, not refunded. */
  'deferred',
  /** Support locked its refund (`refund_locked`). */
  'locked',
  /** Created 61 days ago: past the 60-day refund period. */
  'window',
  /** Locked; staff refund it with the override. */
  'staff',
  /** Refundable when a DEFERRED request is accepted; support locks it before the worker delivers. */
  'lockedLater',
  /** Not fulfilled yet: no `edxLMSEntitlementId` on the line, and the LMS has no entitlement. */
  'unfulfilled',
] as const;
export type VendorEntitlementCase = (typeof VENDOR_ENTITLEMENT_CASES)[number];

const index = (which: VendorEntitlementCase) => VENDOR_ENTITLEMENT_CASES.indexOf(which);
/** The vendor order number of a case (not matching the legacy pattern, so routed to the vendor). */
export const vendorEntitlementOrder = (which: VendorEntitlementCase): string => `2U-${985001 + index(which)}`;
/** The course (discovery uuid) whose entitlement the case's order bought: the line's SKU. */
export const vendorCourseUuidOf = (which: VendorEntitlementCase): string =>
  `0000f000-0000-4000-8000-${String(index(which) + 1).padStart(12, '0')}`;
/** The LMS entitlement's uuid, stored on the line as `edxLMSEntitlementId`. */
export const vendorEntitlementUuidOf = (which: VendorEntitlementCase): string =>
  `f0000000-0000-4000-8000-${String(index(which) + 1).padStart(12, '0')}`;
/** The `deferred` order's seat, left alone by a refund that names its entitlement. */
export const VENDOR_SEAT_RUN = 'course-v1:SwitchyardX+VendorSeat+1T2027';

/**
 * The default world plus VENDOR_ENTITLED's vendor orders, each with a verified entitlement line (the
 * `deferred` one a seat too), dated from `now`. The stack runs on the real clock.
 */
export function vendorEntitlementSeed(now = Date.now()): Seed {
  const seed = createSeed();
  seed.courseRuns.push({
    key: VENDOR_SEAT_RUN,
    course: 'SwitchyardX+VendorSeat',
    org: 'SwitchyardX',
    title: 'Vendor seat beside an entitlement',
    start: iso(now - 5 * DAY),
    end: iso(now + 90 * DAY),
    pacing: 'self_paced',
    restrictionType: null,
    runType: 'verified-audit',
    seatTypes: ['audit', 'verified'],
  });
  for (const which of VENDOR_ENTITLEMENT_CASES) {
    const entitlementLine: SeedLine = {
      productId: 9700 + index(which),
      title: `Vendor course entitlement ${which}`,
      description: `Vendor course entitlement ${which}`,
      quantity: 1,
      unitPriceMinor: 19900,
      courseKey: null,
      certificateType: 'verified',
      organization: 'SwitchyardX',
      // CC writes the LMS entitlement on the line when it fulfils it; an unfulfilled line has none.
      status: which === 'unfulfilled' ? 'Pending' : 'Complete',
      entitlement: { courseUuid: vendorCourseUuidOf(which), uuid: vendorEntitlementUuidOf(which) },
    };
    const seat: SeedLine = {
      ...entitlementLine,
      productId: 9799,
      title: `Seat in ${VENDOR_SEAT_RUN}`,
      description: `Seat in ${VENDOR_SEAT_RUN}`,
      unitPriceMinor: 14900,
      courseKey: VENDOR_SEAT_RUN,
      status: 'Complete',
      entitlement: undefined,
    };
    const order: SeedOrder = {
      number: vendorEntitlementOrder(which),
      username: VENDOR_ENTITLED,
      email: `${VENDOR_ENTITLED}@example.org`,
      placedAt: iso(which === 'window' ? now - 61 * DAY : now - 3_600_000),
      status: 'Complete',
      currency: 'USD',
      lines: which === 'deferred' ? [seat, entitlementLine] : [entitlementLine],
      discountMinor: 0,
      voucherCode: null,
      paymentProcessor: 'stripe',
      paymentMethod: 'Visa 4242',
    };
    seed.vendorOrders!.push(order);
  }
  return seed;
}

/**
 * The LMS's side: the entitlement CC's fulfilment created for each fulfilled line (`course_uuid` the
 * line's SKU, `order_number` the vendor order's number, lms/tasks.py), with the same uuid the line
 * carries. The `unfulfilled` line has none yet.
 */
export function grantVendorEntitlements(entitlements: LmsEntitlements, now = Date.now()): void {
  for (const which of VENDOR_ENTITLEMENT_CASES) {
    if (which === 'unfulfilled') continue;
    entitlements.grant({
      username: VENDOR_ENTITLED,
      uuid: vendorEntitlementUuidOf(which),
      courseUuid: vendorCourseUuidOf(which),
      orderNumber: vendorEntitlementOrder(which),
      mode: 'verified',
      refundLocked: which === 'locked' || which === 'staff',
      expiredAt: null,
      created: new Date(which === 'window' ? now - 61 * DAY : now - 3_600_000).toISOString(),
      enrollmentCourseRun: null,
    });
  }
}
