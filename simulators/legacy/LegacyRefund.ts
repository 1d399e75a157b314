/** ecommerce `REFUND` statuses (ecommerce/extensions/refund/status.py). */
export type LegacyRefundStatus =
  'Open' | 'Denied' | 'Payment Refund Error' | 'Payment Refunded' | 'Revocation Error' | 'Complete';

/** A refund as the simulator keeps it: ecommerce's Refund with the course runs of its lines. */
export interface LegacyRefund {
  id: number;
  orderNumber: string;
  username: string;
  /** The course runs of the order's lines this refund covers (one Refund per order, as Oscar makes it). */
  courseKeys: string[];
  /** The entitlement lines it covers, by their `course_entitlement` attribute (the LMS entitlement uuid). */
  entitlementUuids?: string[];
  /** `OSCAR_INITIAL_REFUND_STATUS` (Open) when created; processing moves it (processRefund.ts). */
  status: LegacyRefundStatus;
  /** `total_credit_excl_tax`: the refunded lines' prices, a decimal string. */
  totalCredit: string;
  currency: string;
  /** The order's and the user's primary keys, as RefundSerializer renders the foreign keys. */
  orderId: number;
  userId: number;
  modifiedAt: string;
  /** The Idempotency-Key header the caller sent, if any (the real service ignores it; we record it). */
  idempotencyKey: string | null;
  createdAt: string;
}
