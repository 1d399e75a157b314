import type { RefundReceipt } from '../domain/Refund';
import type { OrderWrites, WriteContext } from '../port/OrderWrites';

/**
 * REFUND_AUTO_APPROVE: a refund the owning system left OPEN is processed at once with `approve`, as
 * the service user. `approve`, not `approve_payment_only`: the LMS calls the latter after it has
 * unenrolled the learner itself; Switchyard has unenrolled no one, so ecommerce must revoke the seat
 * and refund the payment together, or money and enrollment would disagree. A failed approval does not
 * undo the refund: it stays OPEN for staff, and `lastError` says why.
 */
export async function approveAutomatically(
  enabled: boolean,
  writes: OrderWrites,
  receipt: RefundReceipt,
  context: WriteContext,
): Promise<RefundReceipt> {
  if (!enabled || receipt.status !== 'OPEN' || receipt.refundIds.length === 0) return receipt;
  try {
    const processed = await writes.processRefunds(receipt.orderNumber, receipt.refundIds, 'APPROVE', context);
    return {
      ...receipt,
      status: processed.status,
      ...(processed.lastError ? { lastError: processed.lastError } : {}),
    };
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    context.audit('automatic approval failed', { refundIds: receipt.refundIds, err: message });
    return { ...receipt, lastError: `automatic approval failed: ${message}` };
  }
}
