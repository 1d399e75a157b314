import type { Job } from 'bullmq';
import type { RefundReceipt, RefundRequest, RefundRequestStatus } from '../domain/Refund';
import type { RefundJobData } from './RefundJob';

/** Maps a BullMQ job and its state to the schema's RefundRequest. */
export function toRefundRequest(job: Job<RefundJobData, RefundReceipt>, state: string): RefundRequest {
  // A delivered job says what the owning system's refund became (OPEN, APPROVED…); jobs delivered
  // before receipts carried it, and systems that complete refunds themselves, say DELIVERED.
  const status: RefundRequestStatus =
    state === 'completed'
      ? (job.returnvalue?.status ?? 'DELIVERED')
      : state === 'failed'
        ? 'FAILED'
        : 'PENDING';
  const delivered = state === 'completed';
  const updated = job.finishedOn ?? job.processedOn ?? job.timestamp;
  return {
    id: String(job.id),
    orderNumber: job.data.input.orderNumber,
    status,
    refundIds: delivered ? (job.returnvalue?.refundIds ?? []) : [],
    refundIdsKnown: !delivered || job.returnvalue?.refundIdsKnown !== false,
    attempts: job.attemptsMade,
    lastError: job.failedReason
      ? job.failedReason.slice(0, 500)
      : delivered
        ? (job.returnvalue?.lastError ?? null)
        : null,
    updatedAt: new Date(updated).toISOString(),
  };
}
