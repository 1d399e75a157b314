import { createHash } from 'node:crypto';
import type { RefundInput } from '../domain/Refund';

export const REFUND_QUEUE = 'switchyard-refunds';

/** How long a refund request stays readable by `refundRequest(id)`, deferred or immediate: 7 days. */
export const REFUND_RETENTION_MS = 7 * 24 * 3_600_000;

/** What a deferred refund job carries: enough to execute it later, under its own idempotency key. */
export interface RefundJobData {
  username: string;
  idempotencyKey: string;
  input: RefundInput;
  requestId: string;
}

/**
 * The job id derives from (user, key): enqueueing the same request twice collapses into one job, and
 * the id is safe to show (no raw key, no username).
 */
export function refundJobId(username: string, idempotencyKey: string): string {
  return `refund-${createHash('sha256').update(`${username}\u0000${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/** Ids are `refund-` and 32 hex digits; anything else names no request (and never reaches Redis). */
export const isRefundRequestId = (id: string): boolean => /^refund-[0-9a-f]{32}$/.test(id);
