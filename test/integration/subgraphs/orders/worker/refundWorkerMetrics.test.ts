import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import Redis from 'ioredis';
import type { Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { silentLogger } from '../../../../../platform/createLogger';
import { createRefundWorker } from '../../../../../subgraphs/orders/worker/createRefundWorker';
import { RefundQueue } from '../../../../../subgraphs/orders/queue/RefundQueue';
import type { RefundJobData } from '../../../../../subgraphs/orders/queue/RefundJob';
import { createRefundWorkerMetrics } from '../../../../../subgraphs/orders/worker/RefundWorkerMetrics';
import { promSample } from '../../../../helpers/promSample';
import { freePort } from '../../../../helpers/freePort';

// The worker's outcome counter, delivery histogram and queue gauges against the real Redis.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const connections: Redis[] = [];
const connect = () => {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  connections.push(r);
  return r;
};
let worker: Worker | undefined;
const queues: RefundQueue[] = [];
afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await Promise.all(queues.splice(0).map((q) => q.close()));
  await Promise.all(connections.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
});

const job = (orderNumber: string): RefundJobData => ({
  username: 'learner1',
  idempotencyKey: randomUUID(),
  input: { orderNumber, courseRunKey: null, reason: null },
  requestId: 'r-1',
});

const value = async (registry: Registry, name: string, labels: Record<string, string> = {}) =>
  promSample(await registry.metrics(), name, labels);

it('counts each attempt as delivered, retried or failed, times each delivery, and reads the queue on scrape', async () => {
  const prefix = `test-${randomUUID()}`;
  const queue = new RefundQueue({ connection: connect(), prefix });
  queues.push(queue);
  const registry = new Registry();
  const metrics = createRefundWorkerMetrics(registry, () => queue.counts());
  const calls = new Map<string, number>();
  worker = createRefundWorker({
    connection: connect(),
    prefix,
    logger: silentLogger(),
    metrics,
    maxAgeMs: 60_000,
    baseDelayMs: 10,
    maxDelayMs: 20,
    deliver: async ({ input }) => {
      const n = (calls.get(input.orderNumber) ?? 0) + 1;
      calls.set(input.orderNumber, n);
      if (input.orderNumber === 'EDX-100002') {
        // A refusal: no use retrying, the job fails for good.
        throw Object.assign(new Error('No such order'), {
          extensions: { code: 'NOT_FOUND', retryable: false },
        });
      }
      if (n <= 2) throw new Error('legacy-ecommerce is unavailable');
      return { orderNumber: input.orderNumber, refundIds: ['7'] };
    },
  });
  const settled = new Promise<void>((resolve) => {
    let done = 0;
    const one = () => ++done === 2 && resolve();
    worker!.on('completed', one);
    worker!.on('failed', (_job, error) => error.name === 'UnrecoverableError' && one());
  });
  await queue.enqueue(job('EDX-100001'));
  await queue.enqueue(job('EDX-100002'));
  await settled;

  expect(await value(registry, 'switchyard_refund_jobs_total', { outcome: 'delivered' })).toBe(1);
  expect(await value(registry, 'switchyard_refund_jobs_total', { outcome: 'retried' })).toBe(2);
  expect(await value(registry, 'switchyard_refund_jobs_total', { outcome: 'failed' })).toBe(1);
  // Three attempts of the first job, one of the second.
  expect(await value(registry, 'switchyard_refund_delivery_duration_seconds_count')).toBe(4);
  expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1, completed: 1 });
  expect(await value(registry, 'switchyard_refund_queue_jobs', { state: 'completed' })).toBe(1);
  expect(await value(registry, 'switchyard_refund_queue_jobs', { state: 'failed' })).toBe(1);
});

it('reads no counts while Redis is unreachable: fails at once, and the gauges go empty', async () => {
  const nowhere = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: null });
  const down = new RefundQueue({ connection: nowhere, prefix: `test-${randomUUID()}` });
  await once(nowhere, 'error'); // refused: no Redis there
  try {
    await expect(down.counts()).rejects.toThrow(/redis not connected/);
    const registry = new Registry();
    createRefundWorkerMetrics(registry, () => down.counts());
    const text = await registry.metrics();
    expect(text).toContain('# TYPE switchyard_refund_queue_jobs gauge');
    expect(promSample(text, 'switchyard_refund_queue_jobs')).toBeUndefined();
  } finally {
    await down.close();
    nowhere.disconnect();
  }
});
