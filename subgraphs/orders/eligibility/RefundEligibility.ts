import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import type { RefundFacts } from '../domain/RefundFacts';
import type { DiscoveryCourseRuns } from './DiscoveryCourseRuns';
import type { LmsCertificates } from './LmsCertificates';
import { refundRefusal, type RefundRefusal } from './refundRefusal';

export interface RefundEligibilityOptions {
  courseRuns: Pick<DiscoveryCourseRuns, 'get'>;
  certificates: Pick<LmsCertificates, 'statusOf'>;
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

  async check(facts: RefundFacts, call: EligibilityCall): Promise<void> {
    const fields = { orderNumber: facts.orderNumber, courseRunKeys: facts.courseRunKeys };
    if (call.override) {
      // Staff may refund outside the rule, as LMS support does (`can_refund`); the line says who did.
      call.audit('eligibility overridden', fields);
      return;
    }
    const context = { requestId: call.requestId, signal: call.signal };
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
    const refused = refusals.find((r): r is RefundRefusal & { courseRunKey: string } => r !== null);
    if (!refused) {
      call.audit('eligible', fields);
      return;
    }
    call.audit('not eligible', { ...fields, ...refused });
    throw codedError(ErrorCode.REFUND_NOT_ELIGIBLE, MESSAGES[refused.reason], {
      reason: refused.reason,
      courseRunKey: refused.courseRunKey,
      ...(refused.refundDeadline ? { refundDeadline: refused.refundDeadline } : {}),
      retryable: false,
    });
  }
}

const MESSAGES: Readonly<Record<RefundRefusal['reason'], string>> = {
  REFUND_WINDOW_CLOSED: 'The refund period for this course has ended',
  CERTIFICATE_ISSUED: 'A certificate has been issued for this course, so it can no longer be refunded',
  NO_VERIFIED_MODE: 'This course has no verified track, so its seat cannot be refunded',
};
