import { createHash } from 'node:crypto';
import type { RefundInput } from '../domain/Refund';

export const REFUND_QUEUE = 'switchyard-refunds';

/** How long a refund request stays readable by `refundRequest(id)`, deferred or immediate: 7 days. */
export const REFUND_RETENTION_MS = 7 * 24 * 3_600_000;

/** The verified user a deferred refund acts for, as their token said when the request was accepted. */
export interface ActingFor {
  username: string;
  isStaff: boolean;
}

/** What a deferred refund job carries: enough to execute it later, under its own idempotency key. */
export interface RefundJobData {
  /** Who asked (the job id and `refundRequest(id)` visibility derive from it). */
  username: string;
  idempotencyKey: string;
  input: RefundInput;
  requestId: string;
  /**
   * On whose behalf the worker acts: the requester as verified when the request was accepted (after
   * the ownership check). The worker calls upstreams with a service identity, which may change any
   * order, so it re-checks that this user may still change the order before it writes. Jobs queued
   * before this field existed act for `username` as a learner: never with more rights than that.
   */
  actingFor?: ActingFor;
  /**
   * The W3C trace context (`traceparent`, `tracestate`) of the request that queued the job: each
   * delivery attempt continues that trace, so one trace runs from the click to the refund.
   */
  traceContext?: Record<string, string>;
}

/** Who a job acts for; a job without the field acts for its requester, as a learner. */
export const actingForOf = (job: RefundJobData): ActingFor =>
  job.actingFor ?? { username: job.username, isStaff: false };

/**
 * The job id derives from (user, key): enqueueing the same request twice collapses into one job, and
 * the id is safe to show (no raw key, no username).
 */
export function refundJobId(username: string, idempotencyKey: string): string {
  return `refund-${createHash('sha256').update(`${username}\u0000${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/** Ids are `refund-` and 32 hex digits; anything else names no request (and never reaches Redis). */
export const isRefundRequestId = (id: string): boolean => /^refund-[0-9a-f]{32}$/.test(id);
