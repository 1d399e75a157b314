import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { RefundReceipt } from '../domain/Refund';
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_REQUEST_ID,
} from '../../../platform/tracing/attributeNames';
import { extractTraceContext } from '../../../platform/tracing/traceContext';
import { backoffDelay } from '../../../upstream/backoffDelay';
import { REFUND_QUEUE, type RefundJobData } from '../queue/RefundJob';
import type { RefundJobOutcome, RefundWorkerMetrics } from './RefundWorkerMetrics';

export interface RefundWorkerOptions {
  connection: Redis;
  /** Must match the queue's. @default 'bull' */
  prefix?: string;
  /** Executes one delivery attempt (idempotently, under the job's key). */
  deliver: (data: RefundJobData) => Promise<RefundReceipt>;
  /** Give up (and keep the job visible as FAILED) once the job is older than this. @default 24 h */
  maxAgeMs: number;
  /** Backoff base and cap. @default 1000 / 300000 */
  baseDelayMs: number;
  maxDelayMs: number;
  logger: Logger;
  now?: () => number;
  /** How long a job stays locked to a worker that stopped renewing (killed). @default 30000 */
  lockDurationMs?: number;
  /** Jobs worked on at once. @default 4 */
  concurrency?: number;
  /** Attempt outcomes and delivery latency (the worker process's /metrics). */
  metrics?: RefundWorkerMetrics;
  /**
   * Starts each attempt's CONSUMER span, a child of the request that queued the job; the delivery's
   * upstream calls are its children. @default the OpenTelemetry API's global tracer (a no-op)
   */
  tracer?: Tracer;
}

/** Code of a job given up because it got too old (REFUND_MAX_AGE_MS). */
export const REFUND_EXPIRED = 'REFUND_EXPIRED';

/**
 * The code an operator sees for a failed attempt or a worker error: the GraphQL error code
 * (UPSTREAM_UNAVAILABLE, NOT_FOUND…), else the system's (ECONNREFUSED), else the error's name.
 */
export function failureCode(error: unknown): string {
  const { extensions, code, name } = (error ?? {}) as {
    extensions?: { code?: unknown };
    code?: unknown;
    name?: unknown;
  };
  if (typeof extensions?.code === 'string') return extensions.code;
  if (typeof code === 'string') return code;
  return typeof name === 'string' ? name : 'UNKNOWN';
}

/**
 * What a 'failed' event means: BullMQ sets `finishedOn` only when it moved the job to FAILED for good
 * (given up); a job it will run again has none. No job at all: a stalled job dropped at its limit.
 */
export const failedOutcome = (job: Job | undefined): RefundJobOutcome =>
  job === undefined || job.finishedOn !== undefined ? 'failed' : 'retried';

const unrecoverable = (message: string, code: string) =>
  Object.assign(new UnrecoverableError(message), { code });

/**
 * The deferred-delivery worker: retries with exponential backoff and full jitter until the refund is
 * delivered or the job is too old. A worker killed mid-job leaves it "active" without a lock; BullMQ's
 * stalled-job check hands it to the next worker, and the delivery's idempotency record makes the
 * re-run reconcile instead of refunding twice.
 */
export function createRefundWorker(options: RefundWorkerOptions): Worker<RefundJobData, RefundReceipt> {
  const now = options.now ?? Date.now;
  const tracer = options.tracer ?? trace.getTracer('switchyard-refund-worker');
  const attempt = async (job: Job<RefundJobData, RefundReceipt>): Promise<RefundReceipt> => {
    const audit = { jobId: job.id, requestId: job.data.requestId, attempt: job.attemptsMade + 1 };
    if (now() - job.timestamp > options.maxAgeMs) {
      options.logger.warn(audit, 'deferred refund expired');
      throw unrecoverable('gave up: older than the maximum age', REFUND_EXPIRED);
    }
    options.logger.info(audit, 'deferred refund attempt');
    const timer = options.metrics?.deliveryDuration.startTimer();
    try {
      return await options.deliver(job.data);
    } catch (error) {
      // A refusal (nothing to refund, not found, forbidden) will not change with time: stop retrying.
      const extensions = (error as { extensions?: { retryable?: unknown; code?: unknown } }).extensions;
      if (extensions && extensions.retryable !== true) {
        throw unrecoverable(
          `${String(extensions.code)}: ${(error as Error).message}`,
          String(extensions.code),
        );
      }
      throw error;
    } finally {
      timer?.();
    }
  };
  const worker = new Worker<RefundJobData, RefundReceipt>(
    REFUND_QUEUE,
    (job: Job<RefundJobData, RefundReceipt>) => {
      // Each attempt continues the trace of the request that queued the job (its `traceContext`), so
      // the audit lines and the upstream calls of a delivery hours later are in the requester's trace.
      const parent = extractTraceContext(job.data.traceContext ?? {});
      const span = tracer.startSpan(
        `process ${REFUND_QUEUE}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            [ATTR_MESSAGING_SYSTEM]: 'bullmq',
            [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
            [ATTR_MESSAGING_DESTINATION_NAME]: REFUND_QUEUE,
            [ATTR_MESSAGING_MESSAGE_ID]: job.id ?? '',
            [ATTR_REQUEST_ID]: job.data.requestId,
            [ATTR_DELIVERY_ATTEMPT]: job.attemptsMade + 1,
          },
        },
        parent,
      );
      return context.with(trace.setSpan(parent, span), async () => {
        try {
          return await attempt(job);
        } catch (error) {
          span.setAttribute(ATTR_ERROR_TYPE, failureCode(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 4,
      // A killed worker's job is picked up again once its lock lapses (BullMQ's stalled-job check).
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: Math.max(500, Math.floor((options.lockDurationMs ?? 30_000) / 2)),
      maxStalledCount: 1_000,
      settings: {
        backoffStrategy: (attemptsMade: number) =>
          backoffDelay(Math.min(attemptsMade, 30), {
            baseMs: options.baseDelayMs,
            maxMs: options.maxDelayMs,
          }),
      },
    },
  );
  // Counted once BullMQ has recorded the outcome in Redis, so the counter never runs ahead of the queue.
  worker.on('failed', (job, error) => {
    options.metrics?.jobs.inc({ outcome: failedOutcome(job) });
    options.logger.warn(
      { jobId: job?.id, requestId: job?.data.requestId, attempt: job?.attemptsMade, err: error.message },
      'deferred refund attempt failed',
    );
  });
  worker.on('completed', (job, result) => {
    options.metrics?.jobs.inc({ outcome: 'delivered' });
    options.logger.info(
      { jobId: job.id, requestId: job.data.requestId, refundIds: result.refundIds },
      'deferred refund delivered',
    );
  });
  return worker;
}
