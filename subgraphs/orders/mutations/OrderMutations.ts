import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Identity } from '../../../platform/auth/Identity';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import { canonicalJson } from '../../../platform/idempotency/fingerprint';
import type { IdempotencyStore } from '../../../platform/idempotency/IdempotencyStore';
import { runIdempotent } from '../../../platform/idempotency/runIdempotent';
import { refundJobId, type RefundJobData } from '../deferred/RefundJob';
import type { RefundQueue } from '../deferred/RefundQueue';
import type { Order } from '../domain/Order';
import type { RefundInput, RefundReceipt, RefundRequest } from '../domain/Refund';
import type { OrderWrites, WriteContext } from '../OrderWrites';

export interface OrderMutationsDeps {
  /** The writer for the system that owns this order number. */
  writesFor: (orderNumber: string) => OrderWrites;
  store: IdempotencyStore;
  ttlMs: number;
  leaseMs: number;
  /** Null without REDIS_URL: deferred delivery needs a durable queue. */
  refundQueue: RefundQueue | null;
  logger: Logger;
}

export interface MutationCall {
  identity: Identity;
  requestId: string;
  idempotencyKey: string;
}

export type Delivery = 'IMMEDIATE' | 'DEFERRED';

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
  ): Promise<{ data: RefundRequest; replayed: boolean }> {
    const audit = this.auditor('requestRefund', call);
    audit('received', { orderNumber: input.orderNumber, delivery });
    if (delivery === 'DEFERRED') return { data: await this.enqueue(input, call, audit), replayed: false };
    return runIdempotent<RefundRequest>({
      store: this.deps.store,
      scope: { user: call.identity.username, operation: 'requestRefund', key: call.idempotencyKey },
      args: input,
      ttlMs: this.deps.ttlMs,
      leaseMs: this.deps.leaseMs,
      audit,
      execute: async () =>
        delivered(
          call,
          await this.deps.writesFor(input.orderNumber).requestRefund(input, this.writeContext(call, audit)),
        ),
      reconcile: async () => {
        const found = await this.deps
          .writesFor(input.orderNumber)
          .findRefund(input, this.writeContext(call, audit));
        return found ? delivered(call, found) : null;
      },
    });
  }

  async fulfillOrder(number: string, call: MutationCall): Promise<{ data: Order; replayed: boolean }> {
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
      execute: () => this.deps.writesFor(number).fulfillOrder(number, this.writeContext(call, audit)),
      // Fulfilment has no side record to look up; a retried PUT on a fulfilled order answers 406, so
      // re-executing after a crash cannot fulfil twice.
      reconcile: async () => null,
    });
  }

  /** The worker's delivery of a deferred refund: the same idempotent path, under the job's own key. */
  async deliverDeferred(job: RefundJobData, worker: Identity): Promise<RefundReceipt> {
    const call = { identity: worker, requestId: job.requestId, idempotencyKey: job.idempotencyKey };
    const audit = this.auditor('requestRefund.deferred', call);
    const result = await runIdempotent<RefundReceipt>({
      store: this.deps.store,
      scope: { user: job.username, operation: 'requestRefund.deferred', key: job.idempotencyKey },
      args: job.input,
      ttlMs: this.deps.ttlMs,
      leaseMs: this.deps.leaseMs,
      audit,
      execute: () =>
        this.deps.writesFor(job.input.orderNumber).requestRefund(job.input, this.writeContext(call, audit)),
      reconcile: () =>
        this.deps.writesFor(job.input.orderNumber).findRefund(job.input, this.writeContext(call, audit)),
      // The queue retries: a transient failure is not the answer, and the next attempt reconciles first.
      retryableErrors: 'abandon',
    });
    return result.data;
  }

  async refundRequest(id: string, identity: Identity): Promise<RefundRequest | null> {
    const found = await this.deps.refundQueue?.get(id);
    // Someone else's request looks exactly like a missing one.
    if (!found || (found.username !== identity.username && !identity.isStaff)) return null;
    return found.request;
  }

  private async enqueue(
    input: RefundInput,
    call: MutationCall,
    audit: (e: string, f?: Record<string, unknown>) => void,
  ): Promise<RefundRequest> {
    const queue = this.deps.refundQueue;
    if (!queue) {
      throw codedError(
        ErrorCode.DEFERRED_DELIVERY_UNAVAILABLE,
        'Deferred delivery needs a durable queue; this deployment has none (REDIS_URL unset)',
      );
    }
    const job = {
      username: call.identity.username,
      idempotencyKey: call.idempotencyKey,
      input,
      requestId: call.requestId,
    };
    let existing: RefundJobData | null;
    let request: RefundRequest;
    try {
      existing = await queue.getData(refundJobId(call.identity.username, call.idempotencyKey));
      if (existing && canonicalJson(existing.input) !== canonicalJson(input)) {
        throw codedError(
          ErrorCode.IDEMPOTENCY_KEY_MISMATCH,
          'This Idempotency-Key was used with different arguments',
          {
            retryable: false,
          },
        );
      }
      request = await queue.enqueue(job);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      audit('queue unavailable', { err: String((error as Error)?.message ?? error) });
      throw codedError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        'The refund queue is unavailable; nothing was queued',
        {
          upstream: 'refund-queue',
          retryable: true,
        },
      );
    }
    audit('enqueued', { jobId: request.id, duplicate: existing !== null });
    return request;
  }

  private writeContext(call: MutationCall, audit: WriteContext['audit']): WriteContext {
    return { identity: call.identity, requestId: call.requestId, idempotencyKey: call.idempotencyKey, audit };
  }

  /** One structured line per event, all carrying request id, key, user and operation (README "Audit trail"). */
  private auditor(operation: string, call: MutationCall) {
    const base = {
      audit: 'mutation',
      operation,
      requestId: call.requestId,
      idempotencyKey: call.idempotencyKey,
      user: call.identity.username,
    };
    return (event: string, fields: Record<string, unknown> = {}) =>
      this.deps.logger.info({ ...base, ...fields, event }, `mutation ${event}`);
  }
}

function delivered(call: MutationCall, receipt: RefundReceipt): RefundRequest {
  return {
    id: refundJobId(call.identity.username, call.idempotencyKey),
    orderNumber: receipt.orderNumber,
    status: 'DELIVERED',
    refundIds: receipt.refundIds,
    attempts: 1,
    lastError: null,
    updatedAt: new Date().toISOString(),
  };
}
