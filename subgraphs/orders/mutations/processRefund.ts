import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import { runIdempotent, type IdempotentResult } from '../../../idempotency/runIdempotent';
import type { RefundAction, RefundRequest } from '../domain/Refund';
import { findRefundRequest, type FoundRefundRequest } from './findRefundRequest';
import type { MutationCall } from './MutationCall';
import { mutationAuditor } from './mutationAuditor';
import type { OrderMutationsDeps } from './OrderMutationsDeps';
import { serviceContextFor } from './writeContextFor';

/**
 * Staff: approve or deny the refunds of an OPEN request (legacy), as the service user, keyed like
 * every mutation. The request must exist and name its refunds; the answer is the request as it now
 * stands, kept for `refundRequest(id)`. Re-sending is safe upstream (approving a Complete refund
 * succeeds and changes nothing), so a takeover simply processes again.
 */
export async function processRefund(
  deps: OrderMutationsDeps,
  id: string,
  action: RefundAction,
  call: MutationCall,
): Promise<IdempotentResult<RefundRequest>> {
  const audit = mutationAuditor(deps.logger, 'processRefund', call);
  audit('received', { refundRequestId: id, action });
  if (!call.identity.isStaff) throw codedError(ErrorCode.FORBIDDEN, 'Only staff may process refunds');
  let found: FoundRefundRequest | null = null;
  const process = async () => {
    const { request, username } = found!;
    const context = await serviceContextFor(deps, call, audit);
    const result = await deps
      .writesFor(request.orderNumber)
      .processRefunds(request.orderNumber, request.refundIds, action, context);
    const updated: RefundRequest = {
      ...request,
      status: result.status,
      lastError: result.lastError,
      updatedAt: new Date().toISOString(),
    };
    await deps.refundRequests.save({ owner: username, request: updated }).catch((error: unknown) => {
      audit('refund request not kept', { err: String((error as Error)?.message ?? error) });
    });
    return updated;
  };
  return runIdempotent<RefundRequest>({
    store: deps.store,
    scope: { user: call.identity.username, operation: 'processRefund', key: call.idempotencyKey },
    args: { id, action },
    ttlMs: deps.ttlMs,
    leaseMs: deps.leaseMs,
    audit,
    // Refused before anything is sent or kept: an unknown request, or one with nothing to process.
    authorize: async () => {
      found = await findRefundRequest(deps, id);
      if (!found) throw codedError(ErrorCode.NOT_FOUND, 'No such refund request');
      if (found.request.refundIds.length === 0)
        throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This refund request has no refund to process yet');
    },
    execute: process,
    reconcile: async () => {
      found = await findRefundRequest(deps, id);
      return found && found.request.refundIds.length > 0 ? process() : null;
    },
  });
}
