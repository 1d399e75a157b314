import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { refundJobId } from '../../../../../subgraphs/orders/queue/RefundJob';
import { RefundQueue } from '../../../../../subgraphs/orders/queue/RefundQueue';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';
import { refundableOrders } from '../../../../helpers/refundableOrders';

// One key, one record, whichever delivery it asks for: the real Redis on 127.0.0.1, no worker running
// (a queued job stays queued), the stack in-process on port 0.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}`;
const REFUND = `mutation R($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status refundIds attempts }
}`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id orderNumber status refundIds } }`;
const orders = refundableOrders('learner7').map((o) => o.number);

let stack: TestStack;
let queue: RefundQueue;
let connection: Redis;
beforeAll(async () => {
  stack = await startTestStack({ REDIS_URL, REFUND_QUEUE_PREFIX: prefix });
  connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new RefundQueue({ connection, prefix });
});
afterAll(async () => {
  await queue.close();
  await connection.quit();
  await stack.stop();
});

const writes = () => stack.simulators.legacy!.writes;
const refund = (orderNumber: string, key: string, delivery: 'IMMEDIATE' | 'DEFERRED') =>
  stack.query<any>(REFUND, {
    user: 'learner7',
    variables: { input: { orderNumber, delivery } },
    headers: { 'idempotency-key': key },
  });
const status = (id: string, user: string, staff = false) =>
  stack.query<any>(STATUS, { user, staff, variables: { id } });

it('refuses a key spent on IMMEDIATE when it comes back DEFERRED, queueing nothing', async () => {
  const key = randomUUID();
  const order = orders[0]!;
  const first = await refund(order, key, 'IMMEDIATE');
  expect(first.body.data.requestRefund.status).toBe('OPEN');
  const sent = writes().refundCallsByKey.get(key);
  const again = await refund(order, key, 'DEFERRED');
  expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISMATCH' });
  expect(await queue.getData(refundJobId('learner7', key))).toBeNull();
  expect(writes().refundCallsByKey.get(key)).toBe(sent);
});

it('refuses a key spent on DEFERRED when it comes back IMMEDIATE, calling no upstream', async () => {
  const key = randomUUID();
  const order = orders[1]!;
  const queued = await refund(order, key, 'DEFERRED');
  expect(queued.body.data.requestRefund.status).toBe('PENDING');
  const before = stack.simulators.legacy!.stats().total;
  const again = await refund(order, key, 'IMMEDIATE');
  expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISMATCH' });
  expect(stack.simulators.legacy!.stats().total).toBe(before);
  expect(writes().refundCallsByKey.get(key)).toBeUndefined();
});

it('marks a repeated DEFERRED request replayed, with one job behind both answers', async () => {
  const key = randomUUID();
  const order = orders[2]!;
  const first = await refund(order, key, 'DEFERRED');
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  const second = await refund(order, key, 'DEFERRED');
  expect(second.headers.get('idempotent-replayed')).toBe('true');
  expect(second.body.extensions).toEqual({ idempotency: { replayed: true } });
  expect(second.body.data).toEqual(first.body.data);
  expect(await queue.getData(first.body.data.requestRefund.id)).toMatchObject({ idempotencyKey: key });
});

it('refuses a repeated DEFERRED request with other arguments, calling no upstream', async () => {
  const key = randomUUID();
  await refund(orders[3]!, key, 'DEFERRED');
  const before = stack.simulators.legacy!.stats().total;
  const other = await refund(orders[4]!, key, 'DEFERRED');
  expect(other.body.errors![0]!.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISMATCH' });
  expect(stack.simulators.legacy!.stats().total).toBe(before);
  expect((await queue.getData(refundJobId('learner7', key)))!.input.orderNumber).toBe(orders[3]);
});

it('finds an immediately delivered refund by id, for its owner and staff only', async () => {
  const key = randomUUID();
  const delivered = (await refund(orders[5]!, key, 'IMMEDIATE')).body.data.requestRefund;
  const own = await status(delivered.id, 'learner7');
  expect(own.body.data.refundRequest).toEqual({
    id: delivered.id,
    orderNumber: orders[5],
    status: 'OPEN',
    refundIds: delivered.refundIds,
  });
  expect((await status(delivered.id, 'support', true)).body.data.refundRequest).toEqual(
    own.body.data.refundRequest,
  );
  expect((await status(delivered.id, 'learner8')).body.data.refundRequest).toBeNull();
});
