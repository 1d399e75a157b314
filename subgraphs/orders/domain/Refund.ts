/** A learner's request to refund an order (or one course run of it). */
export interface RefundInput {
  orderNumber: string;
  courseRunKey: string | null;
  reason: string | null;
}

/** What the owning system recorded for a refund request. */
export interface RefundReceipt {
  orderNumber: string;
  refundIds: string[];
}

export type RefundRequestStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** A refund request as the schema shows it, immediate or deferred. */
export interface RefundRequest {
  id: string;
  orderNumber: string;
  status: RefundRequestStatus;
  refundIds: string[];
  attempts: number;
  lastError: string | null;
  /** ISO-8601 UTC. */
  updatedAt: string;
}
