import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Worker } from 'bullmq';
import { silentLogger } from '../../../../../platform/createLogger';
import { createRefundWorker } from '../../../../../subgraphs/orders/worker/createRefundWorker';
import { RefundQueue } from '../../../../../subgraphs/orders/queue/RefundQueue';
import type { RefundJobData } from '../../../../../subgraphs/orders/queue/RefundJob';
import type { RefundRequest } from '../../../../../subgraphs/orders/domain/Refund';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const connections: Redis[] = [];
const connect = () => {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  connections.push(r);
  return r;
};
let prefix: string;
let queue: RefundQueue;
let worker: Worker | undefined;

beforeEach(() => {
  prefix = `test-${randomUUID()}`;
  queue = new RefundQueue({ connection: connect(), prefix });
});
afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await queue.close();
  await Promise.all(connections.splice(0).map((c) => c.quit()));
});

const job = (key = randomUUID()): RefundJobData => ({
  username: 'learner1',
  idempotencyKey: key,
  input: { orderNumber: 'EDX-100001', courseRunKey: null, reason: null },
  requestId: 'r-1',
});

async function until(
  read: () => Promise<RefundRequest | undefined>,
  done: (r: RefundRequest) => boolean,
): Promise<RefundRequest> {
  for (let i = 0; i < 200; i++) {
    const r = await read();
    if (r && done(r)) return r;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached');
}

it('collapses duplicate enqueues of one key into one job', async () => {
  const data = job();
  const [a, b] = await Promise.all([queue.enqueue(data), queue.enqueue(data)]);
  expect(a.id).toBe(b.id);
  expect(a).toMatchObject({ status: 'PENDING', orderNumber: 'EDX-100001', attempts: 0 });
});

it('retries with backoff until the upstream is back, then delivers exactly once', async () => {
  let calls = 0;
  let delivered = 0;
  worker = createRefundWorker({
    connection: connect(),
    prefix,
    logger: silentLogger(),
    maxAgeMs: 60_000,
    baseDelayMs: 10,
    maxDelayMs: 40,
    deliver: async () => {
      if (++calls <= 3) throw new Error('legacy-ecommerce is unavailable');
      delivered++;
      return { orderNumber: 'EDX-100001', refundIds: ['7'] };
    },
  });
  const { id } = await queue.enqueue(job());
  const done = await until(
    async () => (await queue.get(id))?.request,
    (r) => r.status === 'DELIVERED',
  );
  expect(done).toMatchObject({
    status: 'DELIVERED',
    refundIds: ['7'],
    attempts: 4,
    lastError: 'legacy-ecommerce is unavailable',
  });
  expect(delivered).toBe(1);
});

it('gives up after the maximum age and keeps the job visible as FAILED', async () => {
  let clock = Date.now();
  worker = createRefundWorker({
    connection: connect(),
    prefix,
    logger: silentLogger(),
    maxAgeMs: 1000,
    baseDelayMs: 10,
    maxDelayMs: 20,
    now: () => clock,
    deliver: async () => {
      clock += 600; // each failed attempt "takes" 600 ms on the injected clock
      throw new Error('still down');
    },
  });
  const { id } = await queue.enqueue(job());
  const failed = await until(
    async () => (await queue.get(id))?.request,
    (r) => r.status === 'FAILED',
  );
  expect(failed.lastError).toMatch(/maximum age/);
  expect(failed.attempts).toBeGreaterThanOrEqual(2);
});
