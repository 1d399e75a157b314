import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import type { RefundInput } from '../domain/Refund';
import type { RefundAdmission } from '../domain/RefundFacts';
import type { RefundEligibility } from '../eligibility/RefundEligibility';
import type { OrderWrites, WriteContext } from '../port/OrderWrites';

/**
 * May this refund be made at all: the caller may change the order (owner or staff: refundFacts reads
 * it as they may see it) and the LMS's refund rule allows it, unless a staff member overrides the rule.
 * Runs as runIdempotent's `authorize`, so a refusal leaves no record, no job and no upstream write.
 * Resolves with what the write needs and the order does not show (the LMS entitlement uuids), for
 * this attempt only: a takeover or the worker admits again, and so reads them afresh.
 */
export async function admitRefund(
  writes: OrderWrites,
  eligibility: Pick<RefundEligibility, 'check'>,
  input: RefundInput,
  context: WriteContext,
): Promise<RefundAdmission> {
  const override = input.overrideEligibility === true;
  // The resolver refuses it first; a job queued by a learner never carries more than a learner may do.
  if (override && !context.identity.isStaff)
    throw codedError(ErrorCode.FORBIDDEN, 'Only staff may override refund eligibility', {
      argument: 'input.overrideEligibility',
    });
  const facts = await writes.refundFacts(input, context);
  // A course run the order has no line for is refused here, before a DEFERRED request's record or job
  // exists (one upstream read, the same as the ownership check's), not found doomed by the worker.
  if (input.courseRunKey !== null && facts.courseRunKeys.length === 0)
    throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has no line for that course run');
  if (input.courseUuid !== undefined && (facts.entitlementCourseUuids ?? []).length === 0)
    throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has no entitlement line for that course');
  return eligibility.check(facts, {
    requestId: context.requestId,
    signal: context.signal,
    override,
    audit: context.audit,
  });
}
