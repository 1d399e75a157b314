import type { Job } from 'bullmq';
import type { RefundReceipt, RefundRequest, RefundRequestStatus } from '../domain/Refund';
import type { RefundJobData } from './RefundJob';

/** Maps a BullMQ job and its state to the schema's RefundRequest. */
export function toRefundRequest(job: Job<RefundJobData, RefundReceipt>, state: string): RefundRequest {
  const status: RefundRequestStatus =
    state === 'completed' ? 'DELIVERED' : state === 'failed' ? 'FAILED' : 'PENDING';
  const updated = job.finishedOn ?? job.processedOn ?? job.timestamp;
  return {
    id: String(job.id),
    orderNumber: job.data.input.orderNumber,
    status,
    refundIds: status === 'DELIVERED' ? (job.returnvalue?.refundIds ?? []) : [],
    refundIdsKnown: status !== 'DELIVERED' || job.returnvalue?.refundIdsKnown !== false,
    attempts: job.attemptsMade,
    lastError: job.failedReason ? job.failedReason.slice(0, 500) : null,
    updatedAt: new Date(updated).toISOString(),
  };
}
