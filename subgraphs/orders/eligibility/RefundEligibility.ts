import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import type { RefundAdmission, RefundFacts } from '../domain/RefundFacts';
import type { DiscoveryCourseRuns } from './DiscoveryCourseRuns';
import { entitlementRefusal, type EntitlementRefusal } from './entitlementRefusal';
import type { LmsCertificates } from './LmsCertificates';
import type { LmsEnrollments } from './LmsEnrollments';
import { ENTITLEMENTS_BY_UUID_MAX, type LmsEntitlement, type LmsEntitlements } from './LmsEntitlements';
import { refundRefusal, type RefundRefusal } from './refundRefusal';

export interface RefundEligibilityOptions {
  courseRuns: Pick<DiscoveryCourseRuns, 'get'>;
  certificates: Pick<LmsCertificates, 'statusOf'>;
  /** The LMS entitlements API: an entitlement line's uuid and refund state. */
  entitlements: Pick<LmsEntitlements, 'forOrder' | 'byUuids'>;
  /** The LMS enrollment API: when a redeemed entitlement's run began and the learner enrolled. */
  enrollments: Pick<LmsEnrollments, 'get'>;
  /** REFUND_WINDOW_DAYS in ms (the LMS's EnrollmentRefundConfiguration). */
  windowMs: number;
  /** The clock of the cut-off; tests move it instead of waiting. @default Date.now */
  now?: () => number;
}

export interface EligibilityCall {
  requestId: string;
  signal?: AbortSignal;
  /** A staff member asked to refund whatever the rule says (`overrideEligibility`). */
  override: boolean;
  audit: (event: string, fields?: Record<string, unknown>) => void;
}

/**
 * The LMS's refund rule (`CourseEnrollment.refundable()`), the same for every orders system, checked
 * before anything is written: each course run of the refund must be refundable, else the request is
 * refused with REFUND_NOT_ELIGIBLE and its reason. The inputs come from where the platform keeps
 * them: the order's date from the order, the run's start and seats from discovery, the certificate
 * from the LMS. The ecommerce API checks none of this itself (the LMS checks before it calls).
 */
export class RefundEligibility {
  private readonly now: () => number;

  constructor(private readonly options: RefundEligibilityOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Resolves with what the write needs (the entitlement uuids) when the refund may be made; throws
   * REFUND_NOT_ELIGIBLE (or ENTITLEMENT_NOT_FOUND) otherwise. An entitlement line is looked up in the
   * LMS even under a staff override: without its uuid ecommerce cannot refund it.
   */
  async check(facts: RefundFacts, call: EligibilityCall): Promise<RefundAdmission> {
    const fields = {
      orderNumber: facts.orderNumber,
      courseRunKeys: facts.courseRunKeys,
      ...(facts.entitlementCourseUuids?.length ? { courseUuids: facts.entitlementCourseUuids } : {}),
    };
    const context = { requestId: call.requestId, signal: call.signal };
    const entitlements = await this.entitlementsOf(facts, context, call.audit);
    const admission: RefundAdmission = {
      entitlements: Object.fromEntries([...entitlements].map(([course, e]) => [course, e.uuid])),
    };
    if (call.override) {
      // Staff may refund outside the rule, as LMS support does (`can_refund`); the line says who did.
      call.audit('eligibility overridden', fields);
      return admission;
    }
    const [runRefusal, lineRefusal] = await Promise.all([
      this.courseRunRefusal(facts, context),
      this.entitlementRefusal(facts.owner, [...entitlements.values()], context),
    ]);
    if (runRefusal) {
      call.audit('not eligible', { ...fields, ...runRefusal });
      throw codedError(ErrorCode.REFUND_NOT_ELIGIBLE, MESSAGES[runRefusal.reason], {
        reason: runRefusal.reason,
        courseRunKey: runRefusal.courseRunKey,
        ...(runRefusal.refundDeadline ? { refundDeadline: runRefusal.refundDeadline } : {}),
        retryable: false,
      });
    }
    if (lineRefusal) {
      call.audit('not eligible', { ...fields, ...lineRefusal });
      throw codedError(ErrorCode.REFUND_NOT_ELIGIBLE, MESSAGES[lineRefusal.reason], {
        reason: lineRefusal.reason,
        courseUuid: lineRefusal.courseUuid,
        ...(lineRefusal.refundDeadline ? { refundDeadline: lineRefusal.refundDeadline } : {}),
        retryable: false,
      });
    }
    call.audit('eligible', fields);
    return admission;
  }

  /** One LMS read (bounded: LmsEntitlements); every entitlement line must have its entitlement. */
  private async entitlementsOf(
    facts: RefundFacts,
    context: { requestId: string; signal?: AbortSignal },
    audit: EligibilityCall['audit'],
  ): Promise<Map<string, LmsEntitlement>> {
    const courses = facts.entitlementCourseUuids ?? [];
    if (courses.length === 0) return new Map();
    const found = facts.entitlementUuids
      ? await this.byOrdersUuids(facts, courses, context)
      : await this.options.entitlements.forOrder(facts.owner, facts.orderNumber, courses, context);
    const missing = courses.find((course) => !found.has(course.toLowerCase()));
    if (missing !== undefined) {
      audit('entitlement not found', { orderNumber: facts.orderNumber, courseUuid: missing });
      throw codedError(
        ErrorCode.ENTITLEMENT_NOT_FOUND,
        'The LMS has no entitlement from this order for that course, so it cannot be refunded here',
        { courseUuid: missing, retryable: false },
      );
    }
    return found;
  }

  /**
   * The order names each line's LMS entitlement (vendor `edxLMSEntitlementId`): one read by those
   * uuids, keyed back by course. A line without one (not fulfilled yet), more lines than one read
   * holds, or an entitlement of another course under that uuid count as missing: ENTITLEMENT_NOT_FOUND.
   */
  private async byOrdersUuids(
    facts: RefundFacts,
    courses: readonly string[],
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<Map<string, LmsEntitlement>> {
    const named = courses.flatMap((course) => {
      const uuid = facts.entitlementUuids?.[course.toLowerCase()];
      return uuid ? [[course.toLowerCase(), uuid.toLowerCase()] as const] : [];
    });
    if (named.length === 0 || named.length > ENTITLEMENTS_BY_UUID_MAX) return new Map();
    const byUuid = await this.options.entitlements.byUuids(
      facts.owner,
      named.map(([, uuid]) => uuid),
      context,
    );
    const found = new Map<string, LmsEntitlement>();
    for (const [course, uuid] of named) {
      const entitlement = byUuid.get(uuid);
      if (entitlement?.courseUuid === course) found.set(course, entitlement);
    }
    return found;
  }

  private async courseRunRefusal(
    facts: RefundFacts,
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<(RefundRefusal & { courseRunKey: string }) | null> {
    const refusals = await Promise.all(
      facts.courseRunKeys.map(async (courseRunKey) => {
        const [run, certificateStatus] = await Promise.all([
          this.options.courseRuns.get(courseRunKey, context),
          this.options.certificates.statusOf(facts.owner, courseRunKey, context),
        ]);
        const refusal = refundRefusal(
          {
            placedAt: facts.placedAt,
            courseStart: run?.start ?? null,
            certificateStatus,
            // A run discovery does not know has no verified mode anyone can show.
            seatTypes: run?.seatTypes ?? [],
          },
          this.now(),
          this.options.windowMs,
        );
        return refusal && { courseRunKey, ...refusal };
      }),
    );
    return refusals.find((r): r is RefundRefusal & { courseRunKey: string } => r !== null) ?? null;
  }

  /**
   * The LMS's entitlement rule for each; a redeemed one also reads its enrollment (the run's start and
   * the enrollment's date, LMS enrollment API) and the learner's certificate there, as
   * `is_entitlement_regainable` does. Locked or expired ones are refused from the entitlement alone,
   * before those reads.
   */
  private async entitlementRefusal(
    owner: string,
    entitlements: readonly LmsEntitlement[],
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<(EntitlementRefusal & { courseUuid: string }) | null> {
    const refusals = await Promise.all(
      entitlements.map(async (e) => {
        const facts = { ...e };
        // The checks that need no redeemed run's facts (locked, expired, the refund period) first.
        const early = entitlementRefusal({ ...facts, enrollmentCourseRun: null }, this.now());
        if (early || e.enrollmentCourseRun === null) return early && { courseUuid: e.courseUuid, ...early };
        const [enrollment, certificateStatus] = await Promise.all([
          this.options.enrollments.get(owner, e.enrollmentCourseRun, context),
          this.options.certificates.statusOf(owner, e.enrollmentCourseRun, context),
        ]);
        const refusal = entitlementRefusal(
          {
            ...facts,
            courseStart: enrollment?.courseStart ?? null,
            enrollmentCreated: enrollment?.created ?? null,
            certificateStatus,
          },
          this.now(),
        );
        return refusal && { courseUuid: e.courseUuid, ...refusal };
      }),
    );
    return refusals.find((r) => r !== null) ?? null;
  }
}

const MESSAGES: Readonly<Record<RefundRefusal['reason'] | EntitlementRefusal['reason'], string>> = {
  ENTITLEMENT_REFUND_LOCKED: 'This course entitlement can no longer be refunded',
  ENTITLEMENT_EXPIRED: 'This course entitlement has expired, so it can no longer be refunded',
  REFUND_WINDOW_CLOSED: 'The refund period for this course has ended',
  CERTIFICATE_ISSUED: 'A certificate has been issued for this course, so it can no longer be refunded',
  NO_VERIFIED_MODE: 'This course has no verified track, so its seat cannot be refunded',
};
