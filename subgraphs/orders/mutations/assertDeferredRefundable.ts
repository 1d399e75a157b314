import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import type { RefundInput } from '../domain/Refund';
import type { OrderWrites, WriteContext } from '../port/OrderWrites';

/**
 * What a DEFERRED refund is checked against before its key's record or its job exists: the caller may
 * change the order (as IMMEDIATE checks it: someone else's order is NOT_FOUND), and a course run it
 * names is one the order has a line for — refused as IMMEDIATE refuses it, NOTHING_TO_REFUND, instead
 * of a job that every worker attempt would fail until it expires. One upstream read either way.
 */
export async function assertDeferredRefundable(
  writes: OrderWrites,
  input: RefundInput,
  context: WriteContext,
): Promise<void> {
  if (input.courseRunKey === null) return writes.assertChangeable(input.orderNumber, context);
  const courseRuns = await writes.courseRunsOf(input.orderNumber, context);
  if (!courseRuns.includes(input.courseRunKey))
    throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has no line for that course run');
}
