import type * as bullmqModule from 'bullmq';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { whenReady } from '../../../platform/redis/whenReady';
import type { RefundReceipt, RefundRequest } from '../domain/Refund';
import { REFUND_QUEUE, REFUND_RETENTION_MS, refundJobId, type RefundJobData } from './RefundJob';
import { toRefundRequest } from './toRefundRequest';

/** The queue states an operator watches (`/status`, `switchyard_refund_queue_jobs`). */
export const REFUND_JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type RefundJobState = (typeof REFUND_JOB_STATES)[number];
export type RefundJobCounts = Record<RefundJobState, number>;

export interface RefundQueueOptions {
  connection: Redis;
  /** Redis key prefix (isolates test runs and deployments sharing a Redis). @default 'bull' */
  prefix?: string;
  /** Kept after completion or failure so `refundRequest(id)` stays answerable. @default 7 days */
  retentionSeconds?: number;
}

/**
 * Deferred refunds on a durable BullMQ queue. Retries are driven by the worker's own clock (see
 * createRefundWorker), so jobs get a very high attempt cap and the max age decides when to give up.
 */
export class RefundQueue {
  private created: Queue<RefundJobData, RefundReceipt> | undefined;
  private readonly retention: number;
  private readonly connection: Redis;
  private readonly prefix: string | undefined;

  constructor(options: RefundQueueOptions) {
    this.retention = options.retentionSeconds ?? REFUND_RETENTION_MS / 1000;
    this.connection = options.connection;
    this.prefix = options.prefix;
  }

  /**
   * The BullMQ queue, made on first use. Loading BullMQ costs about 8 MiB of resident memory (20 MiB
   * with ioredis, bench/PROFILE.md "Change 5"), and most processes that may enqueue a refund never do:
   * every co-located worker and orders subgraph instance holds a RefundQueue, only refund requests
   * touch it (issue 25). The connection is the caller's, already open either way.
   */
  private get queue(): Queue<RefundJobData, RefundReceipt> {
    if (!this.created) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Queue } = require('bullmq') as typeof bullmqModule;
      this.created = new Queue<RefundJobData, RefundReceipt>(REFUND_QUEUE, {
        connection: this.connection,
        prefix: this.prefix,
      });
      // Connection errors are logged (once per outage) where the client is created; without a
      // listener BullMQ would print each one to the console.
      this.created.on('error', () => undefined);
    }
    return this.created;
  }

  /** Adds the job (or finds the one already added for this user and key) and returns its state. */
  async enqueue(data: RefundJobData): Promise<RefundRequest> {
    const jobId = refundJobId(data.username, data.idempotencyKey);
    await this.queue.add('refund', data, {
      jobId,
      attempts: 1_000_000,
      backoff: { type: 'capped' },
      removeOnComplete: { age: this.retention },
      removeOnFail: { age: this.retention },
    });
    return (await this.get(jobId))!.request;
  }

  /** The job's data if it exists: lets the caller compare arguments before enqueueing a duplicate. */
  async getData(id: string): Promise<RefundJobData | null> {
    await whenReady(this.connection, 1000);
    const job = await this.queue.getJob(id);
    return job ? job.data : null;
  }

  async get(id: string): Promise<{ request: RefundRequest; username: string } | null> {
    await whenReady(this.connection, 1000);
    // State first, then the job: a job reported failed or completed already has its reason or result
    // (BullMQ moves it and writes them in one step). The other order could pair a hash read while the
    // job was active with the state it moved to since: FAILED without a reason.
    const state = await this.queue.getJobState(id);
    const job = await this.queue.getJob(id);
    if (!job || state === 'unknown') return null;
    return { request: toRefundRequest(job, state), username: job.data.username };
  }

  /**
   * How many jobs are in each state. For `/status` and scrapes, which must answer during an outage
   * too: it fails at once while the connection is down, and after `timeoutMs` if Redis goes silent.
   */
  async counts(timeoutMs = 1000): Promise<RefundJobCounts> {
    if (this.connection.status !== 'ready')
      throw new Error(`redis not connected (status ${this.connection.status})`);
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const counts = await Promise.race([this.queue.getJobCounts(...REFUND_JOB_STATES), silent]);
      return Object.fromEntries(
        REFUND_JOB_STATES.map((state) => [state, counts[state] ?? 0]),
      ) as RefundJobCounts;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the queue if it was ever made; the connection is the caller's to close. */
  close(): Promise<void> {
    return this.created ? this.created.close() : Promise.resolve();
  }
}
