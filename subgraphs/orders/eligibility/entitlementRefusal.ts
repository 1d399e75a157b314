import { NON_REFUNDABLE_CERTIFICATE_STATUSES } from './refundRefusal';

/** Why the LMS's entitlement rule refuses a refund (docs/api.md, "Refunds"). */
export type EntitlementRefusalReason =
  'ENTITLEMENT_REFUND_LOCKED' | 'ENTITLEMENT_EXPIRED' | 'REFUND_WINDOW_CLOSED' | 'CERTIFICATE_ISSUED';

/**
 * `CourseEntitlementPolicy`'s defaults (edx-platform common/djangoapps/entitlements/models.py):
 * `DEFAULT_REFUND_PERIOD_DAYS`, `DEFAULT_REGAIN_PERIOD_DAYS`, `DEFAULT_EXPIRATION_PERIOD_DAYS`. A
 * site or mode may have its own policy row; the entitlements API does not show which applies.
 */
export const ENTITLEMENT_POLICY = Object.freeze({ refundDays: 60, regainDays: 14, expirationDays: 730 });

const DAY = 86_400_000;

/** What the rule reads of one entitlement (the LMS entitlements API) and of its redeemed run. */
export interface EntitlementRefundFacts {
  refundLocked: boolean;
  /** ISO-8601, or null while it has not expired. */
  expiredAt: string | null;
  /** ISO-8601: when the LMS created it. */
  created: string;
  orderNumber: string | null;
  /** The course run it was redeemed for, or null. */
  enrollmentCourseRun: string | null;
  /** With a redeemed run: its start (the LMS's CourseOverview, via the enrollment API), null when unknown. */
  courseStart?: string | null;
  /** With a redeemed run: when the learner enrolled in it, null when the LMS has no enrollment. */
  enrollmentCreated?: string | null;
  /** With a redeemed run: the learner's certificate status there, null without one. */
  certificateStatus?: string | null;
}

export interface EntitlementRefusal {
  reason: EntitlementRefusalReason;
  /** When the refund period ended (or ends), ISO-8601 UTC; absent for reasons without one. */
  refundDeadline?: string;
}

/** Python's `timedelta.days` of `later - earlier`: whole days, rounded down (negative ones too). */
const daysBetween = (earlier: number, later: number): number => Math.floor((later - earlier) / DAY);

/**
 * `CourseEntitlement.is_entitlement_refundable()` and the policy's `is_entitlement_refundable` /
 * `is_entitlement_regainable` / `get_days_until_expiration`, in their order: refund_locked; expired;
 * no order number; more than `refund_period` whole days since created; then, once redeemed for a run,
 * a certificate in a non-refundable status, or the regain period (14 days from the latest of the
 * course's start, the entitlement's creation and the enrollment) or the expiry passed. Null:
 * refundable (docs/reference/lms-entitlements.md).
 */
export function entitlementRefusal(facts: EntitlementRefundFacts, nowMs: number): EntitlementRefusal | null {
  const created = Date.parse(facts.created);
  const window = new Date(created + (ENTITLEMENT_POLICY.refundDays + 1) * DAY).toISOString();
  if (facts.refundLocked) return { reason: 'ENTITLEMENT_REFUND_LOCKED' };
  if (facts.expiredAt !== null) return { reason: 'ENTITLEMENT_EXPIRED' };
  // Matched on it, so never null here; kept as the LMS keeps it.
  if (facts.orderNumber === null) return { reason: 'ENTITLEMENT_REFUND_LOCKED' };
  // `get_days_since_created() > refund_period.days`: day 60 still refunds, day 61 does not.
  if (Number.isNaN(created) || daysBetween(created, nowMs) > ENTITLEMENT_POLICY.refundDays)
    return { reason: 'REFUND_WINDOW_CLOSED', refundDeadline: Number.isNaN(created) ? '' : window };
  if (facts.enrollmentCourseRun === null) return null;
  const certificate = facts.certificateStatus ?? null;
  if (certificate !== null && NON_REFUNDABLE_CERTIFICATE_STATUSES.has(certificate))
    return { reason: 'CERTIFICATE_ISSUED' };
  const untilExpiry = daysBetween(nowMs, created + ENTITLEMENT_POLICY.expirationDays * DAY);
  // min(days since course start, since enrollment, since created): the latest of the three counts.
  const events = [created, facts.courseStart, facts.enrollmentCreated]
    .map((at) => (typeof at === 'string' ? Date.parse(at) : at))
    .filter((at): at is number => typeof at === 'number' && !Number.isNaN(at));
  const latest = Math.max(...events);
  const untilRegainEnds = ENTITLEMENT_POLICY.regainDays - daysBetween(latest, nowMs);
  // `get_days_until_expiration(entitlement) >= 0`, the smaller of the two.
  if (Math.min(untilExpiry, untilRegainEnds) < 0) {
    const regainEnds = latest + (ENTITLEMENT_POLICY.regainDays + 1) * DAY;
    return {
      reason: 'REFUND_WINDOW_CLOSED',
      refundDeadline: new Date(Math.min(regainEnds, Date.parse(window))).toISOString(),
    };
  }
  return null;
}
