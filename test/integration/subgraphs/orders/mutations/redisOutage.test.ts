import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { freePort } from '../../../../helpers/freePort';
import { startRedisServer as startRedis } from '../../../../helpers/startRedisServer';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';
import { refundableOrders } from '../../../../helpers/refundableOrders';

const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status } }`;
const orders = refundableOrders('learner9').map((o) => o.number);

// A private redis-server, so stopping it cannot disturb other tests using the shared one.
let port: number;
let redis: ChildProcess;
let stack: TestStack;
beforeAll(async () => {
  port = await freePort();
  redis = await startRedis(port);
  stack = await startTestStack({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REFUND_QUEUE_PREFIX: `test-${randomUUID()}`,
  });
});
afterAll(async () => {
  await stack.stop();
  redis.kill('SIGKILL');
});

const refund = (orderNumber: string, delivery = 'IMMEDIATE') =>
  stack.query<any>(REFUND, {
    user: 'learner9',
    variables: { input: { orderNumber, delivery } },
    headers: { 'idempotency-key': randomUUID() },
  });

const status = (id: string) => stack.query<any>(STATUS, { user: 'learner9', variables: { id } });

it('fails mutations closed while Redis is down, keeps queries working, and recovers', async () => {
  const delivered = (await refund(orders[0]!)).body.data.requestRefund;
  expect(delivered.status).toBe('OPEN');
  const queued = (await refund(orders[3]!, 'DEFERRED')).body.data.requestRefund;
  expect(queued.status).toBe('PENDING');

  redis.kill('SIGKILL');
  await once(redis, 'exit');
  const before = stack.simulators.legacy!.writes.executions.refunds;
  const down = await refund(orders[1]!);
  expect(down.body.errors![0]!.extensions).toMatchObject({
    code: 'UPSTREAM_UNAVAILABLE',
    upstream: 'idempotency-store',
  });
  // DEFERRED claims the key's record first (one record for both deliveries), so the store is what fails.
  const deferred = await refund(orders[1]!, 'DEFERRED');
  expect(deferred.body.errors![0]!.extensions).toMatchObject({
    code: 'UPSTREAM_UNAVAILABLE',
    upstream: 'idempotency-store',
  });
  expect(stack.simulators.legacy!.writes.executions.refunds).toBe(before);
  // Reading a refund request needs Redis too: a coded, retryable error naming what it read first (the
  // stored requests, where processed ones are kept), not a masked one.
  const unreadable = await status(queued.id);
  expect(unreadable.body.errors![0]).toMatchObject({
    message: 'Refund requests cannot be read right now',
    extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'refund-requests', retryable: true },
  });
  // An id that names no request is answered without Redis: null, as ever.
  expect((await status('not-a-refund-request')).body).toEqual({ data: { refundRequest: null } });
  const history = await stack.query<any>('{ orderHistory(pageSize: 3) { count } }', { user: 'learner9' });
  expect(history.body.errors).toBeUndefined();
  expect(history.body.data.orderHistory.count).toBeGreaterThan(0);

  redis = await startRedis(port);
  let recovered: any;
  for (let i = 0; i < 50; i++) {
    recovered = await refund(orders[2]!);
    if (!recovered.body.errors) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(recovered.body.data.requestRefund.status).toBe('OPEN');
  // This Redis keeps nothing on disk: what it held is gone, and once the queue's own connection is
  // back (it reconnects on its own schedule), a lookup says so plainly again.
  let after: any;
  for (let i = 0; i < 50; i++) {
    after = await status(queued.id);
    if (!after.body.errors) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(after.body).toEqual({ data: { refundRequest: null } });
}, 60_000);
