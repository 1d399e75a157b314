import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import { isRefundRequestId } from '../queue/RefundJob';
import type { RefundRequest } from '../domain/Refund';
import type { OrderMutationsDeps } from './OrderMutationsDeps';

export type FoundRefundRequest = { request: RefundRequest; username: string };

type FindDeps = Pick<OrderMutationsDeps, 'refundRequests' | 'refundQueue' | 'logger'>;

/** The request under this id, whoever owns it: the stored record (immediate, or processed), else the queue's. */
export async function findRefundRequest(deps: FindDeps, id: string): Promise<FoundRefundRequest | null> {
  if (!isRefundRequestId(id)) return null;
  return (
    (await lookUp(deps, 'refund-requests', async () => {
      const stored = await deps.refundRequests.find(id);
      return stored && { request: stored.request, username: stored.owner };
    })) ??
    (await lookUp(deps, 'refund-queue', async () => (deps.refundQueue ? deps.refundQueue.get(id) : null)))
  );
}

/** Redis down is a coded, retryable error naming what failed, not a masked internal error. */
async function lookUp<T>(deps: FindDeps, upstream: string, read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    deps.logger.warn({ upstream, err: String((error as Error)?.message ?? error) }, 'refund lookup failed');
    throw codedError(ErrorCode.UPSTREAM_UNAVAILABLE, 'Refund requests cannot be read right now', {
      upstream,
      retryable: true,
    });
  }
}
