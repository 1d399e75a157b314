import type { Identity } from '../../../platform/auth/Identity';
import { activeTraceHeaders } from '../../../platform/tracing/traceContext';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import { runIdempotent, type IdempotentResult } from '../../../idempotency/runIdempotent';
import { actingForOf, type RefundJobData } from '../queue/RefundJob';
import type { Order } from '../domain/Order';
import type { RefundAction, RefundInput, RefundReceipt, RefundRequest } from '../domain/Refund';
import type { RefundAdmission } from '../domain/RefundFacts';
import type { WriteContext } from '../port/OrderWrites';
import { admitRefund } from './admitRefund';
import { approveAutomatically } from './approveAutomatically';
import { enqueueRefund } from './enqueueRefund';
import { findRefundRequest } from './findRefundRequest';
import type { Delivery, MutationCall } from './MutationCall';
import { mutationAuditor, type Audit } from './mutationAuditor';
import type { OrderMutationsDeps } from './OrderMutationsDeps';
import { processRefund } from './processRefund';
import { rememberRefund } from './rememberRefund';
import { serviceContextFor, writeContextFor } from './writeContextFor';

// The public names callers import from here, wherever they now live.
export type { Delivery, MutationCall } from './MutationCall';
export type { OrderMutationsDeps, ServiceIdentitySource } from './OrderMutationsDeps';

// Both deliveries answer to one record per (user, key): a key spent on one cannot be spent again on
// the other (IDEMPOTENCY_KEY_MISMATCH), and a repeated DEFERRED call replays like an IMMEDIATE one.
const REFUND = 'requestRefund';
// The worker's own record of delivering a deferred request: it executes later, after the request's
// record is already complete ("queued"), so it needs a record of its own for its attempts.
const DEFERRED_DELIVERY = 'requestRefund.deferred';

/**
 * Order mutations with their guarantees: authorised, keyed, executed at most once per key, audited.
 * Resolvers stay thin; the deferred worker delivers through `deliverDeferred`, the same path.
 */
export class OrderMutations {
  constructor(private readonly deps: OrderMutationsDeps) {}

  async requestRefund(
    input: RefundInput,
    delivery: Delivery,
    call: MutationCall,
  ): Promise<IdempotentResult<RefundRequest>> {
    const audit = this.auditor(REFUND, call);
    audit('received', { orderNumber: input.orderNumber, delivery });
    if (delivery === 'DEFERRED') return this.requestDeferred(input, call, audit);
    const writes = () => this.deps.writesFor(input.orderNumber);
    // Set by the admission, which runIdempotent always runs before execute or reconcile.
    let admission: RefundAdmission | undefined;
    return runIdempotent<RefundRequest>({
      store: this.deps.store,
      scope: this.refundScope(call),
      args: refundArgs(input, delivery),
      ttlMs: this.deps.ttlMs,
      leaseMs: this.deps.leaseMs,
      audit,
      authorize: async () => {
        admission = await admitRefund(writes(), this.deps.eligibility, input, this.writeContext(call, audit));
      },
      execute: async () => {
        const receipt = await writes().requestRefund(input, this.writeContext(call, audit), admission);
        const approved = await approveAutomatically(
          this.deps.autoApprove === true,
          writes(),
          receipt,
          await this.serviceContext(call, audit),
        );
        return this.remember(call, audit, approved);
      },
      reconcile: async () => {
        const found = await writes().findRefund(input, this.writeContext(call, audit), admission);
        return found ? this.remember(call, audit, found) : null;
      },
    });
  }

  async fulfillOrder(number: string, call: MutationCall): Promise<IdempotentResult<Order>> {
    const audit = this.auditor('fulfillOrder', call);
    audit('received', { orderNumber: number });
    if (!call.identity.isStaff) throw codedError(ErrorCode.FORBIDDEN, 'Only staff may fulfil orders');
    return runIdempotent<Order>({
      store: this.deps.store,
      scope: { user: call.identity.username, operation: 'fulfillOrder', key: call.idempotencyKey },
      args: { number },
      ttlMs: this.deps.ttlMs,
      leaseMs: this.deps.leaseMs,
      audit,
      // Fulfilment needs the `order.change_order` model permission upstream, which a staff member's own
      // token does not carry: it goes as the service user, for the staff member checked above.
      execute: () => this.deps.writesFor(number).fulfillOrder(number, this.serviceContext(call, audit)),
      // Fulfilment leaves no record but the order's state: a fulfilled order after a crash is taken
      // as this request's result, since re-sending would only answer 406 (ORDER_NOT_FULFILLABLE). If
      // someone else fulfilled it meanwhile, the order is just as fulfilled: the answer holds.
      reconcile: () => this.deps.writesFor(number).findFulfilled(number, this.serviceContext(call, audit)),
    });
  }

  /**
   * The worker's delivery of a deferred refund: the same idempotent path, under the job's own key.
   * The worker calls upstreams as its service user (`deps.service`), which may change any order; it acts
   * for the job's verified user only, whose right to change the order every write checks again.
   */
  async deliverDeferred(job: RefundJobData): Promise<RefundReceipt> {
    const actingFor = actingForOf(job);
    // Who the worker is, for the audit trail; the writes ask for the token themselves (`service`), so
    // one refused by the upstream is renewed mid-delivery instead of failing the attempt.
    const service = await this.deps.service.identity();
    const call: MutationCall = {
      identity: { username: actingFor.username, isStaff: actingFor.isStaff, token: service.token },
      requestId: job.requestId,
      idempotencyKey: job.idempotencyKey,
    };
    const audit = this.auditor(DEFERRED_DELIVERY, call, service.username);
    const context = () => this.serviceContext(call, audit);
    const writes = () => this.deps.writesFor(job.input.orderNumber);
    let admission: RefundAdmission | undefined;
    const result = await runIdempotent<RefundReceipt>({
      store: this.deps.store,
      scope: { user: job.username, operation: DEFERRED_DELIVERY, key: job.idempotencyKey },
      args: job.input,
      ttlMs: this.deps.ttlMs,
      leaseMs: this.deps.leaseMs,
      audit,
      // The order may have changed hands (or the request predates the check): refused, nothing written.
      // The rule again, at delivery: the window may have closed, or a certificate been issued, since.
      authorize: async () => {
        admission = await admitRefund(writes(), this.deps.eligibility, job.input, context());
      },
      execute: async () =>
        approveAutomatically(
          this.deps.autoApprove === true,
          writes(),
          await writes().requestRefund(job.input, context(), admission),
          context(),
        ),
      reconcile: () => writes().findRefund(job.input, context(), admission),
      // The queue retries: a transient failure is not the answer, and the next attempt reconciles first.
      retryableErrors: 'abandon',
    });
    return result.data;
  }

  /** Staff: approve or deny the refunds of an OPEN request (legacy); see processRefund.ts. */
  async processRefund(
    id: string,
    action: RefundAction,
    call: MutationCall,
  ): Promise<IdempotentResult<RefundRequest>> {
    return processRefund(this.deps, id, action, call);
  }

  /** A refund request, deferred (the queue) or immediate; owner or staff only. */
  async refundRequest(id: string, identity: Identity): Promise<RefundRequest | null> {
    const found = await this.findRequest(id);
    // Someone else's request looks exactly like a missing one.
    // (findRequest reads the stored record first: a processed request, deferred or not, is kept there.)
    if (!found || (found.username !== identity.username && !identity.isStaff)) return null;
    // Requests stored before the field existed knew all their ids.
    return { ...found.request, refundIdsKnown: found.request.refundIdsKnown ?? true };
  }

  /**
   * The request's half of DEFERRED: one record under the shared refund scope, whose stored result is
   * "queued". Enqueueing is repeatable (the job id derives from user and key, so BullMQ collapses
   * duplicates): a failure releases the claim and a retry enqueues again. A replay answers with the
   * job's current state — same id, but PENDING may have become DELIVERED — marked replayed.
   */
  private async requestDeferred(
    input: RefundInput,
    call: MutationCall,
    audit: Audit,
  ): Promise<IdempotentResult<RefundRequest>> {
    const queue = this.deps.refundQueue;
    if (!queue) {
      throw codedError(
        ErrorCode.DEFERRED_DELIVERY_UNAVAILABLE,
        'Deferred delivery needs a durable queue; this deployment has none (REDIS_URL unset)',
      );
    }
    let duplicate = false;
    const result = await runIdempotent<RefundRequest>({
      store: this.deps.store,
      scope: this.refundScope(call),
      args: refundArgs(input, 'DEFERRED'),
      ttlMs: this.deps.ttlMs,
      leaseMs: this.deps.leaseMs,
      audit,
      repeatable: true,
      // Owner or staff, checked exactly as IMMEDIATE checks it, before anything is queued: a foreign
      // order and a missing one get the same NOT_FOUND, and the refusal leaves no record and no job.
      // A course run the order has no line for is refused here too, not found doomed by the worker.
      // The admission itself is not queued: the worker admits the job again before it writes.
      authorize: async () => {
        await admitRefund(
          this.deps.writesFor(input.orderNumber),
          this.deps.eligibility,
          input,
          this.writeContext(call, audit),
        );
      },
      execute: async () => {
        const queued = await enqueueRefund(
          queue,
          {
            username: call.identity.username,
            idempotencyKey: call.idempotencyKey,
            input,
            requestId: call.requestId,
            actingFor: { username: call.identity.username, isStaff: call.identity.isStaff },
            traceContext: activeTraceHeaders(),
          },
          audit,
        );
        duplicate = queued.duplicate;
        return queued.request;
      },
      reconcile: async () => null,
    });
    if (!result.replayed) return { data: result.data, replayed: duplicate };
    const current = await queue.get(result.data.id).catch(() => null);
    return { data: current?.request ?? result.data, replayed: true };
  }

  private remember(call: MutationCall, audit: Audit, receipt: RefundReceipt): Promise<RefundRequest> {
    return rememberRefund(this.deps.refundRequests, call, audit, receipt);
  }

  private findRequest(id: string) {
    return findRefundRequest(this.deps, id);
  }

  private refundScope(call: MutationCall) {
    return { user: call.identity.username, operation: REFUND, key: call.idempotencyKey };
  }

  private serviceContext(call: MutationCall, audit: WriteContext['audit']): WriteContext {
    return serviceContextFor(this.deps, call, audit);
  }

  private writeContext(call: MutationCall, audit: WriteContext['audit']): WriteContext {
    return writeContextFor(this.deps, call, audit);
  }

  private auditor(operation: string, call: MutationCall, serviceUser?: string): Audit {
    return mutationAuditor(this.deps.logger, operation, call, serviceUser);
  }
}

/**
 * What the key's fingerprint covers. IMMEDIATE, the default, is fingerprinted as the input alone,
 * exactly as before deliveries shared a record, so records already stored still replay.
 */
function refundArgs(input: RefundInput, delivery: Delivery): unknown {
  return delivery === 'IMMEDIATE' ? input : { ...input, delivery };
}
