/** Why the LMS's rule refuses a refund (docs/api.md, "Refunds"). */
export type RefundRefusalReason = 'REFUND_WINDOW_CLOSED' | 'CERTIFICATE_ISSUED' | 'NO_VERIFIED_MODE';

/**
 * Certificate statuses after which a seat is no longer refundable: edx-platform
 * `CertificateStatuses.NON_REFUNDABLE_STATUSES` (lms/djangoapps/certificates/data.py).
 */
export const NON_REFUNDABLE_CERTIFICATE_STATUSES: ReadonlySet<string> = new Set([
  'downloadable',
  'generating',
  'unavailable',
]);

/** `EnrollmentRefundConfiguration.refund_window_microseconds`' default: 14 days. */
export const LMS_DEFAULT_REFUND_WINDOW_DAYS = 14;

/** One course run of the refund, with what the rule reads about it. */
export interface CourseRefundFacts {
  /** When the learner bought (ISO-8601). */
  placedAt: string;
  /** The course run's start (discovery), or null when it has none. */
  courseStart: string | null;
  /** The learner's certificate status in the run (LMS certificates API), or null without one. */
  certificateStatus: string | null;
  /** The run's seat types (discovery `seats[].type`), e.g. `verified`, `audit`. */
  seatTypes: readonly string[];
}

export interface RefundRefusal {
  reason: RefundRefusalReason;
  /** The refund cut-off, ISO-8601 UTC. */
  refundDeadline: string;
}

/** `refund_cutoff_date()`: max(date_placed, course start) + the refund window. */
export function refundDeadline(
  facts: Pick<CourseRefundFacts, 'placedAt' | 'courseStart'>,
  windowMs: number,
): number {
  const placed = Date.parse(facts.placedAt);
  const start = facts.courseStart === null ? Number.NaN : Date.parse(facts.courseStart);
  return (Number.isNaN(start) ? placed : Math.max(placed, start)) + windowMs;
}

/**
 * edx-platform `CourseEnrollment.refundable()` (common/djangoapps/student/models/course_enrollment.py),
 * in its order: a certificate in a non-refundable status; then now after the cut-off; then no verified
 * mode (`CourseMode.mode_for_course(course_id, 'verified', include_expired=True)`). Null: refundable.
 */
export function refundRefusal(
  facts: CourseRefundFacts,
  nowMs: number,
  windowMs: number,
): RefundRefusal | null {
  const deadline = refundDeadline(facts, windowMs);
  const refusal = (reason: RefundRefusalReason): RefundRefusal => ({
    reason,
    refundDeadline: Number.isNaN(deadline) ? '' : new Date(deadline).toISOString(),
  });
  if (facts.certificateStatus !== null && NON_REFUNDABLE_CERTIFICATE_STATUSES.has(facts.certificateStatus))
    return refusal('CERTIFICATE_ISSUED');
  // The LMS: `datetime.now() > refund_cutoff_date` refuses; the cut-off instant itself is still in time.
  if (Number.isNaN(deadline) || nowMs > deadline) return refusal('REFUND_WINDOW_CLOSED');
  if (!facts.seatTypes.includes('verified')) return refusal('NO_VERIFIED_MODE');
  return null;
}
