import { createHash } from 'node:crypto';
import type { RefundInput } from '../domain/Refund';

export const REFUND_QUEUE = 'switchyard-refunds';

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
