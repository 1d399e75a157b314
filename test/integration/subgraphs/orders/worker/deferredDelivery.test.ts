import { randomUUID } from 'node:crypto';
import { spawnComponent, type Component } from '../../../../helpers/spawnComponent';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';
import { courseRunsOf, refundableOrders } from '../../../../helpers/refundableOrders';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}`;
const orders = refundableOrders('learner5')
  .slice(0, 4)
  .map((o) => o.number);
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status attempts refundIds refundIdsKnown lastError } }`;

let stack: TestStack;
const workers: Component[] = [];
const env = () => ({
  LEGACY_ECOMMERCE_URL: stack.simulators.legacy!.url,
  LMS_OAUTH2_URL: stack.simulators.lms!.url,
  DISCOVERY_URL: stack.simulators.discovery!.url,
  REFUND_WINDOW_DAYS: '36500',
  REDIS_URL,
  REFUND_QUEUE_PREFIX: prefix,
  REFUND_RETRY_BASE_MS: '50',
  REFUND_RETRY_MAX_MS: '200',
  REFUND_WORKER_LOCK_MS: '1500',
  IDEMPOTENCY_LEASE_MS: '1000',
  REFUND_WORKER_PORT: '0',
});
const startWorker = async () => {
  const worker = spawnComponent('subgraphs/orders/worker/main.js', env());
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
  // Accepted while the legacy API answered (ownership is checked before anything is queued); then it
  // goes down for a while, and the worker keeps trying.
  legacy.setFaults({ errorRate: 1, errorStatus: 503 });

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
    if (last.every((s) => s.status === 'OPEN')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect({
    statuses: last.map((s) => s.status),
    logs: last.every((s) => s.status === 'OPEN') ? [] : workers.at(-1)!.logs.slice(-15),
  }).toEqual({
    statuses: ['OPEN', 'OPEN', 'OPEN', 'OPEN'],
    logs: [],
  });
  // Exactly once, counted by the simulator: each key's refund call reached it once (the killed
  // worker's included; its successor reconciled instead of calling again), each created the order's
  // refunds, and those refunds are the ones each request reports.
  // One refund per course run of each order (the legacy API refunds by course). The killed worker's
  // job is re-sent by the next one to reconcile, which the API answers 200 [] without creating more.
  expect(keys.map((k) => legacy.writes.refunds.filter((r) => r.idempotencyKey === k).length)).toEqual(
    orders.map((n) => courseRunsOf(n).length),
  );
  expect(legacy.writes.executions.refunds - executedBefore).toBe(
    orders.reduce((sum, n) => sum + courseRunsOf(n).length, 0),
  );
  // Each request reports the refunds it created; the one whose worker died after the upstream applied
  // it cannot (the legacy API has no way to read them back) and says so rather than inventing ids.
  const created = keys.map((k) =>
    legacy.writes.refunds.filter((r) => r.idempotencyKey === k).map((r) => String(r.id)),
  );
  expect(last.map((s, i) => (s.refundIdsKnown ? s.refundIds : created[i]))).toEqual(created);
  // An unknown answer lists only what the re-send itself created, a part of what exists.
  last.forEach((s, i) => expect(created[i]).toEqual(expect.arrayContaining(s.refundIds)));
  // Staff can read these requests; another learner cannot.
  const staff = await stack.query<any>(STATUS, { user: 'support', staff: true, variables: { id: ids[0] } });
  expect(staff.body.data.refundRequest).toEqual(last[0]);
  const other = await stack.query<any>(STATUS, { user: 'learner6', variables: { id: ids[0] } });
  expect(other.body.data.refundRequest).toBeNull();
}, 60_000);
