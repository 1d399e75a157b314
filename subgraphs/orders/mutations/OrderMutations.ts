import type { Logger } from 'pino';
import type { Identity } from '../../../platform/auth/Identity';
import { activeTraceHeaders } from '../../../platform/tracing/traceContext';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import type { IdempotencyStore } from '../../../idempotency/IdempotencyStore';
import { runIdempotent, type IdempotentResult } from '../../../idempotency/runIdempotent';
import { actingForOf, isRefundRequestId, refundJobId, type RefundJobData } from '../queue/RefundJob';
import type { RefundQueue } from '../queue/RefundQueue';
import type { Order } from '../domain/Order';
import type { RefundAction, RefundInput, RefundReceipt, RefundRequest } from '../domain/Refund';
import type { RefundAdmission } from '../domain/RefundFacts';
import type { OrderWrites, ServiceCredential, WriteContext } from '../port/OrderWrites';
import type { RefundLedger } from '../port/RefundLedger';
import type { RefundEligibility } from '../eligibility/RefundEligibility';
import { admitRefund } from './admitRefund';
import { approveAutomatically } from './approveAutomatically';
import { enqueueRefund } from './enqueueRefund';
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

export interface MutationCall {
  identity: Identity;
  requestId: string;
  idempotencyKey: string;
}

export type Delivery = 'IMMEDIATE' | 'DEFERRED';

type Audit = (event: string, fields?: Record<string, unknown>) => void;

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

  /**
   * Staff: approve or deny the refunds of an OPEN request (legacy), as the service user, keyed like
   * every mutation. The request must exist and name its refunds; the answer is the request as it now
   * stands, kept for `refundRequest(id)`. Re-sending is safe upstream (approving a Complete refund
   * succeeds and changes nothing), so a takeover simply processes again.
   */
  async processRefund(
    id: string,
    action: RefundAction,
    call: MutationCall,
  ): Promise<IdempotentResult<RefundRequest>> {
    const audit = this.auditor('processRefund', call);
    audit('received', { refundRequestId: id, action });
    if (!call.identity.isStaff) throw codedError(ErrorCode.FORBIDDEN, 'Only staff may process refunds');
    let found: { request: RefundRequest; username: string } | null = null;
    const process = async () => {
      const { request, username } = found!;
      const context = await this.serviceContext(call, audit);
      const result = await this.deps
        .writesFor(request.orderNumber)
        .processRefunds(request.orderNumber, request.refundIds, action, context);
      const updated: RefundRequest = {
        ...request,
        status: result.status,
        lastError: result.lastError,
        updatedAt: new Date().toISOString(),
      };
      await this.deps.refundRequests.save({ owner: username, request: updated }).catch((error: unknown) => {
        audit('refund request not kept', { err: String((error as Error)?.message ?? error) });
      });
      return updated;
    };
    return runIdempotent<RefundRequest>({
      store: this.deps.store,
      scope: { user: call.identity.username, operation: 'processRefund', key: call.idempotencyKey },
      args: { id, action },
      ttlMs: this.deps.ttlMs,
      leaseMs: this.deps.leaseMs,
      audit,
      // Refused before anything is sent or kept: an unknown request, or one with nothing to process.
      authorize: async () => {
        found = await this.findRequest(id);
        if (!found) throw codedError(ErrorCode.NOT_FOUND, 'No such refund request');
        if (found.request.refundIds.length === 0)
          throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This refund request has no refund to process yet');
      },
      execute: process,
      reconcile: async () => {
        found = await this.findRequest(id);
        return found && found.request.refundIds.length > 0 ? process() : null;
      },
    });
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

  /** The request under this id, whoever owns it: the stored record (immediate, or processed), else the queue's. */
  private async findRequest(id: string): Promise<{ request: RefundRequest; username: string } | null> {
    if (!isRefundRequestId(id)) return null;
    return (
      (await this.lookUp('refund-requests', async () => {
        const stored = await this.deps.refundRequests.find(id);
        return stored && { request: stored.request, username: stored.owner };
      })) ??
      (await this.lookUp('refund-queue', async () =>
        this.deps.refundQueue ? this.deps.refundQueue.get(id) : null,
      ))
    );
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

  /**
   * The answer to an immediate refund, also kept for `refundRequest(id)`. Saved before the key's
   * record completes, so a crash in between is healed by the retry's reconcile; a failed save only
   * costs that lookup, never the refund's answer.
   */
  private async remember(call: MutationCall, audit: Audit, receipt: RefundReceipt): Promise<RefundRequest> {
    const request = delivered(call, receipt);
    await this.deps.refundRequests
      .save({ owner: call.identity.username, request })
      .catch((error: unknown) => {
        audit('refund request not kept', { err: String((error as Error)?.message ?? error) });
      });
    return request;
  }

  /** Redis down is a coded, retryable error naming what failed, not a masked internal error. */
  private async lookUp<T>(upstream: string, read: () => Promise<T | null>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      this.deps.logger.warn(
        { upstream, err: String((error as Error)?.message ?? error) },
        'refund lookup failed',
      );
      throw codedError(ErrorCode.UPSTREAM_UNAVAILABLE, 'Refund requests cannot be read right now', {
        upstream,
        retryable: true,
      });
    }
  }

  private refundScope(call: MutationCall) {
    return { user: call.identity.username, operation: REFUND, key: call.idempotencyKey };
  }

  private serviceContext(call: MutationCall, audit: WriteContext['audit']): WriteContext {
    return { ...this.writeContext(call, audit), service: this.deps.service };
  }

  private writeContext(call: MutationCall, audit: WriteContext['audit']): WriteContext {
    return {
      identity: call.identity,
      requestId: call.requestId,
      idempotencyKey: call.idempotencyKey,
      audit,
      ...(this.deps.ledger ? { ledger: this.deps.ledger } : {}),
    };
  }

  /** One structured line per event, all carrying request id, key, user and operation (docs/observability.md, "Audit trail"). */
  private auditor(operation: string, call: MutationCall, serviceUser?: string): Audit {
    const base = {
      audit: 'mutation',
      operation,
      requestId: call.requestId,
      idempotencyKey: call.idempotencyKey,
      user: call.identity.username,
      ...(serviceUser ? { via: serviceUser } : {}),
    };
    return (event: string, fields: Record<string, unknown> = {}) =>
      this.deps.logger.info({ ...base, ...fields, event }, `mutation ${event}`);
  }
}

/**
 * What the key's fingerprint covers. IMMEDIATE, the default, is fingerprinted as the input alone,
 * exactly as before deliveries shared a record, so records already stored still replay.
 */
function refundArgs(input: RefundInput, delivery: Delivery): unknown {
  return delivery === 'IMMEDIATE' ? input : { ...input, delivery };
}

function delivered(call: MutationCall, receipt: RefundReceipt): RefundRequest {
  return {
    id: refundJobId(call.identity.username, call.idempotencyKey),
    orderNumber: receipt.orderNumber,
    // What the owning system's refund is now; DELIVERED only for a system that completes it itself.
    status: receipt.status ?? 'DELIVERED',
    refundIds: receipt.refundIds,
    refundIdsKnown: receipt.refundIdsKnown !== false,
    attempts: 1,
    lastError: receipt.lastError ?? null,
    updatedAt: new Date().toISOString(),
  };
}
