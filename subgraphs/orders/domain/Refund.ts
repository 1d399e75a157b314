/** A learner's request to refund an order (or one course run of it). */
export interface RefundInput {
  orderNumber: string;
  courseRunKey: string | null;
  /**
   * Refund only the order's entitlement line for this course (its discovery uuid, lower-cased), as
   * `courseRunKey` names a seat. Absent unless given, so the fingerprints of records stored before it
   * existed stay the same; never set together with `courseRunKey`.
   */
  courseUuid?: string;
  reason: string | null;
  /**
   * Staff only: other orders the caller confirms may be refunded as well, when the owning system
   * cannot refund this one alone (REFUND_SCOPE_AMBIGUOUS). Absent unless given, so the fingerprints of
   * records stored before it existed stay the same.
   */
  alsoRefund?: string[];
  /**
   * Staff only: refund although the LMS's refund rule refuses it (REFUND_NOT_ELIGIBLE). Absent unless
   * set, for the same reason as `alsoRefund`.
   */
  overrideEligibility?: true;
}

/** What the owning system recorded for a refund request. */
export interface RefundReceipt {
  orderNumber: string;
  refundIds: string[];
  /**
   * False when the system could not say which refunds an earlier attempt created (the legacy API has
   * no way to read them back after a reply was lost): `refundIds` then holds only those made now.
   */
  refundIdsKnown?: boolean;
  /**
   * Where the owning system's refunds stand now: OPEN (a legacy refund awaiting approval), APPROVED
   * (money refunded), DENIED. Absent: DELIVERED, recorded by a system that completes it on its own.
   */
  status?: RefundOutcome;
  /** Why an automatic approval did not go through (the refund stays OPEN for staff). */
  lastError?: string;
}

/** What processing left a refund in; see RefundReceipt.status. */
export type RefundOutcome = 'OPEN' | 'APPROVED' | 'DENIED';

/** How staff process an open refund: ecommerce's `approve` (revoke the seat, refund) or `deny`. */
export type RefundAction = 'APPROVE' | 'DENY';

export type RefundRequestStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | RefundOutcome;

/** A refund request as the schema shows it, immediate or deferred. */
export interface RefundRequest {
  id: string;
  orderNumber: string;
  status: RefundRequestStatus;
  refundIds: string[];
  /** See RefundReceipt.refundIdsKnown; true unless a reconcile could not read ids back. */
  refundIdsKnown: boolean;
  attempts: number;
  lastError: string | null;
  /** ISO-8601 UTC. */
  updatedAt: string;
}
