import { randomUUID } from 'node:crypto';
import { createSeed } from '../../../../../simulators/seed/createSeed';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';
import { refundableOrders } from '../../../../helpers/refundableOrders';

const REFUND = `mutation Refund($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status refundIds attempts lastError updatedAt }
}`;
const FULFILL = `mutation Fulfill($number: ID!) { fulfillOrder(number: $number) { number status } }`;

const seed = createSeed();
const completeOf = (user: string) => refundableOrders(user).map((o) => o.number);
/** Orders of one course run: one refund call, one execution. */
const singleCourseOf = (user: string) =>
  refundableOrders(user)
    .filter((o) => new Set(o.lines.flatMap((l) => (l.courseKey ? [l.courseKey] : []))).size === 1)
    .map((o) => o.number);
const openOrders = seed.orders.filter((o) => o.status === 'Open').map((o) => o.number);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());
afterEach(() => stack.simulators.legacy!.clearFaults());

const writes = () => stack.simulators.legacy!.writes;
const refund = (
  user: string,
  orderNumber: string,
  key: string | undefined,
  extra: Record<string, unknown> = {},
) =>
  stack.query(REFUND, {
    user,
    variables: { input: { orderNumber, ...extra } },
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.map((e) => e.extensions?.code);

describe('requestRefund', () => {
  it('needs an Idempotency-Key and executes nothing without one', async () => {
    const before = writes().executions.refunds;
    const result = await refund('learner1', completeOf('learner1')[0]!, undefined);
    expect(codes(result.body)).toEqual(['IDEMPOTENCY_KEY_REQUIRED']);
    expect(writes().executions.refunds).toBe(before);
  });

  it('rejects a malformed key before anything reaches the upstream', async () => {
    const before = stack.simulators.legacy!.stats().total;
    const result = await refund('learner1', completeOf('learner1')[0]!, 'has spaces in it');
    expect(codes(result.body)).toEqual(['BAD_USER_INPUT']);
    expect(stack.simulators.legacy!.stats().total).toBe(before);
  });

  it.each([
    ['7 characters', 'k'.repeat(7)],
    ['256 characters', 'k'.repeat(256)],
  ])('rejects a key of %s before anything reaches the upstream', async (_label, key) => {
    const before = stack.simulators.legacy!.stats().total;
    const result = await refund('learner1', completeOf('learner1')[0]!, key);
    expect(result.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'Idempotency-Key',
    });
    expect(stack.simulators.legacy!.stats().total).toBe(before);
  });

  it('accepts keys of 8 and of 255 characters (the bounds themselves)', async () => {
    const [a, b] = completeOf('learner1').slice(5);
    const short = await refund('learner1', a!, randomUUID().slice(0, 8));
    const long = await refund('learner1', b!, randomUUID().padEnd(255, 'x'));
    expect([short.body.errors, long.body.errors]).toEqual([undefined, undefined]);
    expect(writes().refunds.at(-1)!.idempotencyKey).toHaveLength(255);
  });

  it('executes once, forwards the key upstream, and replays byte-identically, marked replayed', async () => {
    const key = randomUUID();
    const order = singleCourseOf('learner1')[0]!;
    const before = writes().executions.refunds;
    const first = await refund('learner1', order, key);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data).toMatchObject({
      requestRefund: { orderNumber: order, status: 'OPEN', attempts: 1, lastError: null },
    });
    expect(writes().executions.refunds).toBe(before + 1);
    expect(writes().refunds.at(-1)!.idempotencyKey).toBe(key);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const second = await refund('learner1', order, key);
    const third = await refund('learner1', order, `"${key}"`); // the draft's structured-field form
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.data).toEqual(first.body.data);
    expect((second.body as any).extensions).toEqual({ idempotency: { replayed: true } });
    expect(JSON.stringify(third.body)).toBe(JSON.stringify(second.body));
    expect(writes().executions.refunds).toBe(before + 1);
  });

  it('refuses the same key with other arguments, executing nothing', async () => {
    const key = randomUUID();
    const [a, b] = completeOf('learner3');
    await refund('learner3', a!, key);
    const before = writes().executions.refunds;
    const result = await refund('learner3', b!, key);
    expect(codes(result.body)).toEqual(['IDEMPOTENCY_KEY_MISMATCH']);
    expect(writes().executions.refunds).toBe(before);
  });

  it('keeps no record when the ownership read fails: the retry executes, nothing was written before', async () => {
    const key = randomUUID();
    const order = completeOf('learner3').at(-1)!;
    stack.simulators.legacy!.setFaults({ errorRate: 1, errorStatus: 503 });
    const first = await refund('learner3', order, key);
    stack.simulators.legacy!.clearFaults();
    expect(first.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(writes().refundCallsByKey.get(key)).toBeUndefined();
    const retry = await refund('learner3', order, key);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.body.data).toMatchObject({ requestRefund: { orderNumber: order, status: 'OPEN' } });
    expect(writes().refundCallsByKey.get(key)).toBe(1);
  });

  it('stores an upstream 500 and replays it as the same error', async () => {
    const key = randomUUID();
    const order = completeOf('learner3')[2]!;
    // The write fails, not the ownership read before it: a refused read leaves no record at all.
    writes().refundFailureStatus = 500;
    const first = await refund('learner3', order, key);
    expect(first.body.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'legacy-ecommerce',
    });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect((first.body as any).extensions).toBeUndefined();
    writes().refundFailureStatus = null;
    const before = writes().executions.refunds;
    const replay = await refund('learner3', order, key);
    expect(replay.body.errors![0]!.message).toBe(first.body.errors![0]!.message);
    expect(replay.body.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'legacy-ecommerce',
      replayed: true,
    });
    // Marked exactly like a replayed success, through the gateway: header and response extension.
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((replay.body as any).extensions).toEqual({ idempotency: { replayed: true } });
    expect(writes().executions.refunds).toBe(before);
  });

  it('answers IDEMPOTENCY_KEY_IN_USE to a retry while the first is in flight', async () => {
    const key = randomUUID();
    const order = singleCourseOf('learner3')[4]!;
    // The first is applied upstream and its answer held until the second has been answered.
    writes().holdAfterApply = true;
    const first = refund('learner3', order, key);
    try {
      await writes().whenHeld();
      const second = await refund('learner3', order, key);
      expect(codes(second.body)).toEqual(['IDEMPOTENCY_KEY_IN_USE']);
    } finally {
      writes().holdAfterApply = false;
      writes().releaseHeld();
    }
    const a = await first;
    expect(a.body.errors).toBeUndefined();
    expect(writes().refundCallsByKey.get(key)).toBe(1);
  });

  it("cannot refund someone else's order", async () => {
    const before = writes().executions.refunds;
    const result = await refund('learner1', completeOf('learner3')[4]!, randomUUID());
    expect(codes(result.body)).toEqual(['NOT_FOUND']);
    expect(writes().executions.refunds).toBe(before);
  });

  it('explains that deferred delivery needs Redis when none is configured', async () => {
    const result = await refund('learner1', completeOf('learner1')[2]!, randomUUID(), {
      delivery: 'DEFERRED',
    });
    expect(codes(result.body)).toEqual(['DEFERRED_DELIVERY_UNAVAILABLE']);
  });

  it('says NOTHING_TO_REFUND for an order already refunded', async () => {
    const order = completeOf('learner1')[3]!;
    await refund('learner1', order, randomUUID());
    const again = await refund('learner1', order, randomUUID());
    expect(codes(again.body)).toEqual(['NOTHING_TO_REFUND']);
  });
});

describe('fulfillOrder', () => {
  const fulfill = (number: string, user: string, staff: boolean, key = randomUUID()) =>
    stack.query(FULFILL, { user, staff, variables: { number }, headers: { 'idempotency-key': key } });

  it('is for staff only, refused before any upstream call (not left to the upstream’s own 403)', async () => {
    const calls = stack.simulators.legacy!.stats().total;
    const result = await fulfill(openOrders[0]!, 'learner1', false);
    expect(codes(result.body)).toEqual(['FORBIDDEN']);
    expect(stack.simulators.legacy!.stats().total).toBe(calls);
  });

  it('needs an Idempotency-Key and fulfils nothing without one', async () => {
    const number = openOrders[3]!;
    const before = stack.simulators.legacy!.stats().total;
    const result = await stack.query(FULFILL, { user: 'staff', staff: true, variables: { number } });
    expect(codes(result.body)).toEqual(['IDEMPOTENCY_KEY_REQUIRED']);
    expect(stack.simulators.legacy!.stats().total).toBe(before);
    const order = await stack.query<any>('query O($n: ID!) { order(number: $n) { status } }', {
      user: 'staff',
      staff: true,
      variables: { n: number },
    });
    expect(order.body.data.order.status).toBe('OPEN');
  });

  it('fulfils an open order once; fulfilling it again is ORDER_NOT_FULFILLABLE', async () => {
    const number = openOrders[1]!;
    const done = await fulfill(number, 'staff', true);
    expect(done.body.data).toEqual({ fulfillOrder: { number, status: 'COMPLETE' } });
    const again = await fulfill(number, 'staff', true);
    expect(codes(again.body)).toEqual(['ORDER_NOT_FULFILLABLE']);
    expect(writes().executions.fulfillments).toBeGreaterThanOrEqual(1);
  });

  it('maps a failed fulfilment (legacy 500) to a coded upstream error', async () => {
    const number = openOrders[2]!;
    writes().failFulfillmentOf(number);
    const result = await fulfill(number, 'staff', true);
    expect(result.body.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'legacy-ecommerce',
    });
  });
});
