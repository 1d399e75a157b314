import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createSeed } from '../../../../../simulators/seed/createSeed';
import type { SeedOrder } from '../../../../../simulators/seed/SeedOrder';
import { refundJobId } from '../../../../../subgraphs/orders/queue/RefundJob';
import { RefundQueue } from '../../../../../subgraphs/orders/queue/RefundQueue';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';
import { refundableOrders } from '../../../../helpers/refundableOrders';

// Issue 9: a learner could refund anyone's order with `delivery: DEFERRED`, because the request was
// queued unchecked and the worker delivered as a staff service user. Each backend is checked over real
// HTTP against the simulators and a real Redis; no worker runs here, so a queued job would stay queued.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REFUND = `mutation R($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status refundIds }
}`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status refundIds } }`;
const seed = createSeed();
// Any status will do: the ownership check comes before anything looks at what is refundable.
const numbersOf = (orders: SeedOrder[] | undefined, user: string) =>
  (orders ?? []).filter((o) => o.username === user).map((o) => o.number);
const legacyOf = (user: string) => numbersOf(seed.orders, user);
const vendorOf = (user: string) => numbersOf(seed.vendorOrders, user);

const VICTIM = 'learner7';
const ATTACKER = 'learner1';

interface Case {
  mode: 'legacy' | 'vendor' | 'merged';
  /** A Complete order of the victim's that this mode's writes reach. */
  foreign: string;
  /** One of the attacker's own, to show the same path still serves its owner. */
  own: string;
}

const cases: Case[] = [
  { mode: 'legacy', foreign: legacyOf(VICTIM)[0]!, own: legacyOf(ATTACKER)[0]! },
  { mode: 'vendor', foreign: vendorOf(VICTIM)[0]!, own: vendorOf(ATTACKER)[0]! },
  { mode: 'merged', foreign: legacyOf(VICTIM)[1]!, own: vendorOf(ATTACKER)[1]! },
  { mode: 'merged', foreign: vendorOf(VICTIM).at(-1)!, own: legacyOf(ATTACKER)[2]! },
];

describe.each(cases)('DEFERRED refunds in $mode mode ($foreign)', ({ mode, foreign, own }) => {
  const prefix = `test-${randomUUID()}`;
  let stack: TestStack;
  let queue: RefundQueue;
  let connection: Redis;
  beforeAll(async () => {
    stack = await startTestStack({ REDIS_URL, REFUND_QUEUE_PREFIX: prefix, ORDERS_BACKEND: mode });
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new RefundQueue({ connection, prefix });
  });
  afterAll(async () => {
    await queue.close();
    await connection.quit();
    await stack.stop();
  });

  const refund = (orderNumber: string, key: string, user = ATTACKER) =>
    stack.query<any>(REFUND, {
      user,
      variables: { input: { orderNumber, delivery: 'DEFERRED' } },
      headers: { 'idempotency-key': key },
    });
  /** Every state-changing call either simulator has seen. */
  const writes = () => ({
    legacy: [...stack.simulators.legacy!.writes.refundCallsByKey.values()].reduce((a, b) => a + b, 0),
    vendor: stack.simulators.vendor?.writes.log.length ?? 0,
  });
  const jobsIn = async () => {
    const counts = await queue.counts();
    return counts.waiting + counts.active + counts.delayed + counts.failed + counts.completed;
  };

  it('refuses a learner refunding someone else’s order: NOT_FOUND, nothing queued, no key record', async () => {
    const key = randomUUID();
    const before = writes();
    const answer = await refund(foreign, key);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(await queue.getData(refundJobId(ATTACKER, key))).toBeNull();
    expect(await jobsIn()).toBe(0);
    expect(writes()).toEqual(before);
    // No record under the key: the same key may still be used for the learner's own order.
    const mine = await refund(own, key);
    expect(mine.body.data.requestRefund).toMatchObject({ orderNumber: own, status: 'PENDING' });
  });

  it('answers a foreign order exactly like a missing one (no existence oracle)', async () => {
    const missing = mode === 'vendor' ? '2U-999999' : 'EDX-999999';
    const [a, b] = [await refund(foreign, randomUUID()), await refund(missing, randomUUID())];
    expect(a.body).toEqual(b.body);
  });

  it('lets staff queue a refund of anyone’s order, recorded as acting for the staff member', async () => {
    const staffKey = randomUUID();
    const asStaff = await stack.query<any>(REFUND, {
      user: 'support',
      staff: true,
      variables: { input: { orderNumber: foreign, delivery: 'DEFERRED' } },
      headers: { 'idempotency-key': staffKey },
    });
    expect(asStaff.body.data.requestRefund).toMatchObject({ orderNumber: foreign, status: 'PENDING' });
    const data = await queue.getData(asStaff.body.data.requestRefund.id);
    expect(data).toMatchObject({ username: 'support', actingFor: { username: 'support', isStaff: true } });
  });

  it('shows a refund request to its owner and staff only: a foreign id reads as null', async () => {
    const key = randomUUID();
    const mine = (await refund(own, key)).body.data.requestRefund;
    expect(await queue.getData(mine.id)).toMatchObject({
      actingFor: { username: ATTACKER, isStaff: false },
    });
    // Exactly these fields: no `alsoRefund: []` when none was given, so the job's arguments compare
    // equal to those of jobs queued before the field existed.
    expect((await queue.getData(mine.id))!.input).toEqual({
      orderNumber: own,
      courseRunKey: null,
      reason: null,
    });
    const read = (user: string, staff = false) =>
      stack.query<any>(STATUS, { user, staff, variables: { id: mine.id } });
    expect((await read(ATTACKER)).body.data.refundRequest).toMatchObject({ id: mine.id });
    expect((await read(VICTIM)).body.data.refundRequest).toBeNull();
    expect((await read('support', true)).body.data.refundRequest).toMatchObject({ id: mine.id });
  });
});

describe('the refund worker acts for the job’s verified user only', () => {
  const prefix = `test-${randomUUID()}`;
  let stack: TestStack;
  let queue: RefundQueue;
  let connection: Redis;
  beforeAll(async () => {
    // The in-process worker, on the merged mode so both systems' writes are reached.
    stack = await startTestStack(
      { REDIS_URL, REFUND_QUEUE_PREFIX: prefix, ORDERS_BACKEND: 'merged' },
      { refundWorker: true },
    );
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new RefundQueue({ connection, prefix });
  });
  afterAll(async () => {
    await queue.close();
    await connection.quit();
    await stack.stop();
  });

  const legacyWrites = () => stack.simulators.legacy!.writes;
  /** Polls the queue (no clock involved: the worker is simply left to finish) until the job settles. */
  const settled = async (id: string) => {
    for (let i = 0; i < 400; i++) {
      const found = await queue.get(id);
      if (found && found.request.status !== 'PENDING') return found.request;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`job ${id} did not settle`);
  };
  // Jobs put on the queue directly, as a job that outlived an ownership change or was queued before
  // the check existed would be found there.
  const enqueue = (orderNumber: string, actingFor?: { username: string; isStaff: boolean }) => {
    const key = randomUUID();
    return queue.enqueue({
      username: ATTACKER,
      idempotencyKey: key,
      input: { orderNumber, courseRunKey: null, reason: null },
      requestId: `r-${key}`,
      ...(actingFor ? { actingFor } : {}),
    });
  };

  it.each([
    ['a legacy order', () => legacyOf(VICTIM)[3]!],
    ['a vendor order', () => vendorOf(VICTIM)[0]!],
  ])(
    'refuses a job acting for a learner on someone else’s order (%s): FAILED, NOT_FOUND, 0 writes',
    async (_name, number) => {
      const legacyBefore = legacyWrites().refunds.length;
      const vendorBefore = stack.simulators.vendor!.writes.log.length;
      const acting = await enqueue(number(), { username: ATTACKER, isStaff: false });
      const legacyFormat = await enqueue(number());
      for (const job of [acting, legacyFormat]) {
        const done = await settled(job.id);
        expect(done.status).toBe('FAILED');
        expect(done.lastError).toMatch(/^NOT_FOUND/);
      }
      expect(legacyWrites().refunds.length).toBe(legacyBefore);
      expect(stack.simulators.vendor!.writes.log.length).toBe(vendorBefore);
    },
  );

  it('delivers a job acting for the order’s owner (the same worker is running)', async () => {
    const own = refundableOrders(ATTACKER)[0]!.number;
    const job = await enqueue(own, { username: ATTACKER, isStaff: false });
    const done = await settled(job.id);
    expect(done).toMatchObject({ status: 'OPEN', orderNumber: own });
    expect(done.refundIds.length).toBeGreaterThan(0);
  });
});
