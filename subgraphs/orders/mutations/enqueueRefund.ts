import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import { canonicalJson } from '../../../idempotency/fingerprint';
import { refundJobId, type RefundJobData } from '../queue/RefundJob';
import type { RefundQueue } from '../queue/RefundQueue';
import type { RefundRequest } from '../domain/Refund';

/**
 * Queues a deferred refund, or finds the job already queued for this user and key (`duplicate`):
 * BullMQ collapses adds under one job id, so calling this again is always safe. Queue failures are
 * UPSTREAM_UNAVAILABLE naming the queue, with nothing queued.
 */
export async function enqueueRefund(
  queue: RefundQueue,
  job: RefundJobData,
  audit: (event: string, fields?: Record<string, unknown>) => void,
): Promise<{ request: RefundRequest; duplicate: boolean }> {
  let existing: RefundJobData | null;
  let request: RefundRequest;
  try {
    // The job outlives the key's record (7 days against 24 h): a key reused after its record
    // expired must still not name a job queued with other arguments.
    existing = await queue.getData(refundJobId(job.username, job.idempotencyKey));
    if (existing && canonicalJson(existing.input) !== canonicalJson(job.input)) {
      throw codedError(
        ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
        'This Idempotency-Key was used with different arguments',
        { retryable: false },
      );
    }
    request = await queue.enqueue(job);
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    audit('queue unavailable', { err: String((error as Error)?.message ?? error) });
    throw codedError(ErrorCode.UPSTREAM_UNAVAILABLE, 'The refund queue is unavailable; nothing was queued', {
      upstream: 'refund-queue',
      retryable: true,
    });
  }
  audit('enqueued', { jobId: request.id, duplicate: existing !== null });
  return { request, duplicate: existing !== null };
}
