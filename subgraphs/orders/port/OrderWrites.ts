import type { Identity } from '../../../platform/auth/Identity';
import type { CallContext } from '../../CallContext';
import type { Order } from '../domain/Order';
import type { RefundAction, RefundInput, RefundOutcome, RefundReceipt } from '../domain/Refund';
import type { RefundAdmission, RefundFacts } from '../domain/RefundFacts';
import type { RefundLedger } from './RefundLedger';

/**
 * Switchyard's own service user towards the upstreams (subgraphs/serviceIdentity: the LMS service
 * token, cached for the process), renewable when an upstream refuses it before it expires.
 */
export interface ServiceCredential {
  identity(): Promise<Identity>;
  /** An upstream answered 401 to `identity.token`: the next `identity()` fetches a fresh token. */
  invalidate(identity: Identity): void;
}

export interface WriteContext extends CallContext {
  /**
   * Set when the call is made with the service identity (fulfilment, the refund worker) on behalf of
   * `identity`, the verified user: upstreams see its token, the adapter renews it once on a 401, and
   * the adapter itself enforces that `identity` may change the order, since the service user may
   * change any.
   */
  service?: ServiceCredential;
  /** Forwarded upstream as `Idempotency-Key`, for upstreams that honour it. */
  idempotencyKey: string;
  /** Audit trail: one structured event per upstream attempt and result. */
  audit: (event: string, fields?: Record<string, unknown>) => void;
  /** The refunds Switchyard made before (RefundLedger); absent, none are known. */
  ledger?: RefundLedger;
}

/**
 * The state-changing half of a backend. Each adapter implements it for its system; calls are routed
 * by order number, and made idempotent by the caller (runIdempotent), never retried blindly.
 */
export interface OrderWrites {
  /**
   * Resolves when the caller (`context.identity`: owner, or staff) may change this order; throws
   * NOT_FOUND otherwise, exactly as for an order that does not exist. Checked before a request is
   * accepted, and again by each write, so a write made with a service identity still acts for the
   * verified user only.
   */
  assertChangeable(number: string, context: WriteContext): Promise<void>;
  /**
   * What the refund rule reads of the order (owner, date placed, the course runs the refund covers),
   * with the same ownership check as assertChangeable: NOT_FOUND for an order the caller may not change.
   */
  refundFacts(input: RefundInput, context: WriteContext): Promise<RefundFacts>;
  /**
   * `admission`: what admitRefund learned for this attempt (the LMS entitlement uuids of entitlement
   * lines); a system that needs none ignores it.
   */
  requestRefund(
    input: RefundInput,
    context: WriteContext,
    admission?: RefundAdmission,
  ): Promise<RefundReceipt>;
  /** What the system already recorded for this refund request, or null: used to reconcile after a crash. */
  findRefund(
    input: RefundInput,
    context: WriteContext,
    admission?: RefundAdmission,
  ): Promise<RefundReceipt | null>;
  /**
   * Approves or denies refunds this system made for the order, and says where they stand after it
   * (`lastError` when one could not be processed). Staff only, as the service user; systems that
   * refund on their own refuse with NOT_SUPPORTED_BY_BACKEND before any call.
   */
  processRefunds(
    orderNumber: string,
    refundIds: readonly string[],
    action: RefundAction,
    context: WriteContext,
  ): Promise<{ status: RefundOutcome; lastError: string | null }>;
  fulfillOrder(number: string, context: WriteContext): Promise<Order>;
  /**
   * The order if it is fulfilled now, else null: used to reconcile a fulfilment after a crash, since
   * fulfilment leaves no record of its own to look up, only the order's state.
   */
  findFulfilled(number: string, context: WriteContext): Promise<Order | null>;
}
