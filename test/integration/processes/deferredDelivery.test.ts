import { randomUUID } from 'node:crypto';
import { createSeed } from '../../../simulators/seed/createSeed';
import { spawnComponent, type Component } from '../../helpers/spawnComponent';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}`;
const orders = createSeed()
  .orders.filter((o) => o.username === 'learner5' && o.status === 'Complete')
  .slice(0, 4)
  .map((o) => o.number);
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status attempts refundIds lastError } }`;

let stack: TestStack;
const workers: Component[] = [];
const env = () => ({
  LEGACY_ECOMMERCE_URL: stack.simulators.legacy!.url,
  REDIS_URL,
  REFUND_QUEUE_PREFIX: prefix,
  REFUND_RETRY_BASE_MS: '50',
  REFUND_RETRY_MAX_MS: '200',
  REFUND_WORKER_LOCK_MS: '1500',
  IDEMPOTENCY_LEASE_MS: '1000',
  REFUND_WORKER_PORT: '0',
});
const startWorker = async () => {
  const worker = spawnComponent('subgraphs/orders/deferred/main.js', env());
  workers.push(worker);
  await worker.waitFor('refund worker started');
  return worker;
};

beforeAll(async () => {
  stack = await startTestStack({ REDIS_URL, REFUND_QUEUE_PREFIX: prefix, IDEMPOTENCY_LEASE_MS: '1000' });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  stack.simulators.legacy!.writes.releaseHeld();
  await stack.stop();
});

it('delivers every queued refund exactly once across an upstream outage and a worker killed mid-job', async () => {
  const legacy = stack.simulators.legacy!;
  legacy.setFaults({ errorRate: 1, errorStatus: 503 }); // down for a while
  const keys = orders.map(() => randomUUID());
  const executedBefore = legacy.writes.executions.refunds;
  const queued = await Promise.all(
    orders.map((orderNumber, i) =>
      stack.query<{ requestRefund: { id: string; status: string } }>(REFUND, {
        user: 'learner5',
        variables: { input: { orderNumber, delivery: 'DEFERRED' } },
        headers: { 'idempotency-key': keys[i]! },
      }),
    ),
  );
  const ids = queued.map((q) => q.body.data!.requestRefund.id);
  expect(queued.every((q) => q.body.data!.requestRefund.status === 'PENDING')).toBe(true);

  const first = await startWorker();
  await first.waitFor('deferred refund attempt failed');
  // Back up, but the next refund is applied and then its answer held: the worker dies right there.
  const before = legacy.writes.executions.refunds;
  legacy.writes.holdAfterApply = true;
  legacy.clearFaults();
  for (let i = 0; i < 200 && legacy.writes.executions.refunds === before; i++)
    await new Promise((r) => setTimeout(r, 25));
  await first.kill('SIGKILL');
  legacy.writes.holdAfterApply = false;
  legacy.writes.releaseHeld();

  await startWorker();
  const statuses = async () =>
    Promise.all(
      ids.map(
        async (id) =>
          (await stack.query<any>(STATUS, { user: 'learner5', variables: { id } })).body.data.refundRequest,
      ),
    );
  let last: any[] = [];
  for (let i = 0; i < 300; i++) {
    last = await statuses();
    if (last.every((s) => s.status === 'DELIVERED')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect({
    statuses: last.map((s) => s.status),
    logs: last.every((s) => s.status === 'DELIVERED') ? [] : workers.at(-1)!.logs.slice(-15),
  }).toEqual({
    statuses: ['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED'],
    logs: [],
  });
  // Exactly once, counted by the simulator: each key's refund call reached it once (the killed
  // worker's included; its successor reconciled instead of calling again), each created the order's
  // refunds, and those refunds are the ones each request reports.
  expect(keys.map((k) => legacy.writes.refundCallsByKey.get(k))).toEqual([1, 1, 1, 1]);
  expect(legacy.writes.executions.refunds - executedBefore).toBe(orders.length);
  expect(last.map((s) => s.refundIds)).toEqual(
    keys.map((k) => legacy.writes.refunds.filter((r) => r.idempotencyKey === k).map((r) => String(r.id))),
  );
  expect(last.every((s) => s.refundIds.length > 0)).toBe(true);
  // Staff can read these requests; another learner cannot.
  const staff = await stack.query<any>(STATUS, { user: 'support', staff: true, variables: { id: ids[0] } });
  expect(staff.body.data.refundRequest).toEqual(last[0]);
  const other = await stack.query<any>(STATUS, { user: 'learner6', variables: { id: ids[0] } });
  expect(other.body.data.refundRequest).toBeNull();
}, 60_000);
