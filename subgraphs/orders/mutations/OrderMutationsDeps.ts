import type { Logger } from 'pino';
import type { IdempotencyStore } from '../../../idempotency/IdempotencyStore';
import type { RefundQueue } from '../queue/RefundQueue';
import type { OrderWrites, ServiceCredential } from '../port/OrderWrites';
import type { RefundLedger } from '../port/RefundLedger';
import type { RefundEligibility } from '../eligibility/RefundEligibility';
import type { RefundRequestStore } from './RefundRequestStore';

export interface OrderMutationsDeps {
  /** The writer for the system that owns this order number. */
  writesFor: (orderNumber: string) => OrderWrites;
  store: IdempotencyStore;
  ttlMs: number;
  leaseMs: number;
  /** Null without REDIS_URL: deferred delivery needs a durable queue. */
  refundQueue: RefundQueue | null;
  /** Immediately delivered refund requests, so `refundRequest(id)` finds them too. */
  refundRequests: RefundRequestStore;
  logger: Logger;
  /** Switchyard's service user, for what no user's own token may do upstream (fulfilment). */
  service: ServiceIdentitySource;
  /** The LMS's refund rule, checked before any refund is written or queued (admitRefund). */
  eligibility: Pick<RefundEligibility, 'check'>;
  /** REFUND_AUTO_APPROVE: process each new OPEN refund with `approve` at once (approveAutomatically). */
  autoApprove?: boolean;
  /** The course runs Switchyard had refunded, per order (RefundLedger). @default none known */
  ledger?: RefundLedger;
}

/**
 * Where the service user's identity comes from (LMS OAuth2 client credentials, cached), and how an
 * adapter drops a token an upstream refused (WriteContext.service).
 */
export type ServiceIdentitySource = ServiceCredential;
