import { refundJobId } from '../queue/RefundJob';
import type { RefundReceipt, RefundRequest } from '../domain/Refund';
import type { MutationCall } from './MutationCall';
import type { Audit } from './mutationAuditor';
import type { RefundRequestStore } from './RefundRequestStore';

/**
 * The answer to an immediate refund, also kept for `refundRequest(id)`. Saved before the key's
 * record completes, so a crash in between is healed by the retry's reconcile; a failed save only
 * costs that lookup, never the refund's answer.
 */
export async function rememberRefund(
  refundRequests: RefundRequestStore,
  call: MutationCall,
  audit: Audit,
  receipt: RefundReceipt,
): Promise<RefundRequest> {
  const request = delivered(call, receipt);
  await refundRequests.save({ owner: call.identity.username, request }).catch((error: unknown) => {
    audit('refund request not kept', { err: String((error as Error)?.message ?? error) });
  });
  return request;
}

function delivered(call: MutationCall, receipt: RefundReceipt): RefundRequest {
  return {
    id: refundJobId(call.identity.username, call.idempotencyKey),
    orderNumber: receipt.orderNumber,
    // What the owning system's refund is now; DELIVERED only for a system that completes it itself.
    status: receipt.status ?? 'DELIVERED',
    refundIds: receipt.refundIds,
    refundIdsKnown: receipt.refundIdsKnown !== false,
    attempts: 1,
    lastError: receipt.lastError ?? null,
    updatedAt: new Date().toISOString(),
  };
}
