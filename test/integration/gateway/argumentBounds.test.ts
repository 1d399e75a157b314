import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createLogger } from '../../../platform/createLogger';
import { MAX_LOG_VALUE_BYTES } from '../../../platform/boundLogFields';
import { RefundQueue } from '../../../subgraphs/orders/queue/RefundQueue';
import { refundJobId } from '../../../subgraphs/orders/queue/RefundJob';
import { createSeed } from '../../../simulators/seed/createSeed';
import { refundableOrders } from '../../helpers/refundableOrders';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// Issue 20 §3: every argument has a bound (schema/argumentBounds.ts), enforced at the gateway before
// any plan, subgraph or upstream call, idempotency record or job, and again at the subgraphs; a
// DEFERRED refund's course run is checked against the order at acceptance; log lines are bounded.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REFUND = `mutation Refund($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status }
}`;
const seed = createSeed();
const allOrders = [...seed.orders, ...(seed.vendorOrders ?? [])];
const coursesOf = (number: string) =>
  allOrders.find((o) => o.number === number)!.lines.flatMap((l) => (l.courseKey ? [l.courseKey] : []));
const USER = 'learner4';
const prefix = `test-${randomUUID()}`;

const lines: string[] = [];
const stream = { write: (text: string) => void lines.push(text) };
let stack: TestStack;
let connection: Redis;
let queue: RefundQueue;
beforeAll(async () => {
  stack = await startTestStack(
    { REDIS_URL, REFUND_QUEUE_PREFIX: prefix, ORDERS_BACKEND: 'merged' },
    { logger: (component) => createLogger(component, 'info', stream) },
  );
  connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  // RefundQueue.counts() refuses while the connection is still connecting; the first test can be
  // faster than the connect on a busy box. ioredis queues the ping until the connection is ready.
  await connection.ping();
  queue = new RefundQueue({ connection, prefix });
});
afterAll(async () => {
  await queue?.close();
  await connection?.quit();
  await stack?.stop();
});

/** Every call any simulator has served: reads and writes, legacy, vendor, discovery. */
const upstreamCalls = () =>
  stack.simulators.legacy!.stats().total +
  stack.simulators.vendor!.stats().total +
  stack.simulators.discovery!.stats().total;
const jobs = async () => {
  const counts = await queue.counts();
  return counts.waiting + counts.active + counts.delayed + counts.failed + counts.completed;
};
const linesOf = (requestId: string) => lines.filter((l) => l.includes(requestId));
const refund = (input: Record<string, unknown>, key = randomUUID(), requestId = `r-${randomUUID()}`) =>
  stack.query<any>(REFUND, {
    user: USER,
    variables: { input },
    headers: { 'idempotency-key': key, 'x-request-id': requestId },
  });
const legacyOrder = () => refundableOrders(USER, seed)[0]!;

describe('oversized arguments are refused at the gateway, naming the argument and its bound', () => {
  it('refuses a DEFERRED refund with a 900 KB courseRunKey: BAD_USER_INPUT, no job, no upstream call', async () => {
    const before = upstreamCalls();
    const key = randomUUID();
    const requestId = `r-${randomUUID()}`;
    const answer = await refund(
      { orderNumber: legacyOrder().number, courseRunKey: 'k'.repeat(900_000), delivery: 'DEFERRED' },
      key,
      requestId,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]).toMatchObject({
      message: 'input.courseRunKey must be at most 255 characters',
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'Mutation.requestRefund',
        argument: 'input.courseRunKey',
        bound: { maxLength: 255 },
      },
    });
    expect(await jobs()).toBe(0);
    expect(await queue.getData(refundJobId(USER, key))).toBeNull();
    expect(upstreamCalls()).toBe(before);
    // The orders subgraph never heard of it: no audit line under this request id.
    expect(linesOf(requestId).filter((l) => l.includes('"component":"orders-subgraph"'))).toEqual([]);
  });

  it('refuses a refund with a 200 KB orderNumber: BAD_USER_INPUT naming orderNumber, 0 upstream calls', async () => {
    const before = upstreamCalls();
    const answer = await refund({ orderNumber: `EDX-${'1'.repeat(200_000)}` });
    expect(answer.body.errors![0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.orderNumber', bound: { maxLength: 128 } },
    });
    expect(answer.body.data ?? null).toBeNull();
    expect(upstreamCalls()).toBe(before);
  });

  it('refuses a course run key that is not one (opaque-keys form), before any upstream call', async () => {
    const before = upstreamCalls();
    const answer = await refund({ orderNumber: legacyOrder().number, courseRunKey: 'not a key' });
    expect(answer.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'input.courseRunKey',
      bound: { pattern: 'a course run key (course-v1:Org+Course+Run)' },
    });
    expect(upstreamCalls()).toBe(before);
  });

  it.each([
    ['order(number)', '{ order(number: "EDX-__") { number } }', 'number', { maxLength: 128 }],
    ['courseRun(key)', '{ courseRun(key: "course-v1:A+B+__") { key } }', 'key', { maxLength: 255 }],
    ['orderHistory(username)', '{ orderHistory(username: "__") { count } }', 'username', { maxLength: 150 }],
    ['refundRequest(id)', '{ refundRequest(id: "refund-__") { id } }', 'id', { maxLength: 39 }],
  ])(
    'refuses an oversized %s from a literal, before any upstream call',
    async (_name, query, argument, bound) => {
      const before = upstreamCalls();
      const answer = await stack.query<any>(query.replace('__', 'x'.repeat(100_000)), {
        user: 'support',
        staff: true,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, bound });
      expect(upstreamCalls()).toBe(before);
    },
  );

  it('refuses a fulfilment of an oversized order number and a page past the deepest reachable order', async () => {
    const before = upstreamCalls();
    const fulfil = await stack.query<any>('mutation F($n: ID!) { fulfillOrder(number: $n) { number } }', {
      user: 'support',
      staff: true,
      variables: { n: 'E'.repeat(129) },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(fulfil.body.errors![0]!.extensions).toMatchObject({
      argument: 'number',
      bound: { maxLength: 128 },
    });
    const deep = await stack.query<any>('{ orderHistory(page: 10001, pageSize: 1) { count } }', {
      user: USER,
    });
    expect(deep.body.errors![0]!.extensions).toMatchObject({
      argument: 'page',
      bound: { min: 1, max: 10_000 },
    });
    expect(upstreamCalls()).toBe(before);
  });

  it('lets the bounds themselves through (a 500-character reason, page 1 of 100)', async () => {
    const history = await stack.query<any>('{ orderHistory(page: 1, pageSize: 100) { count } }', {
      user: USER,
    });
    expect(history.body.errors).toBeUndefined();
    const order = legacyOrder();
    const answer = await refund({
      orderNumber: order.number,
      courseRunKey: order.lines.find((l) => l.courseKey)!.courseKey,
      reason: 'r'.repeat(500),
      delivery: 'DEFERRED',
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.requestRefund.status).toBe('PENDING');
  });
});

describe('the subgraphs enforce the same bounds when called directly (defence in depth)', () => {
  it('orders: refuses a 200 KB orderNumber before any upstream call', async () => {
    const before = upstreamCalls();
    const response = await fetch(`${stack.ordersUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `JWT ${stack.token(USER)}`,
        'idempotency-key': randomUUID(),
        ...stack.subgraphHeaders,
      },
      body: JSON.stringify({ query: REFUND, variables: { input: { orderNumber: 'E'.repeat(200_000) } } }),
    });
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'input.orderNumber',
    });
    expect(upstreamCalls()).toBe(before);
  });

  it('catalog: refuses an oversized course run key before any discovery call', async () => {
    const before = upstreamCalls();
    const response = await fetch(`${stack.catalogUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `JWT ${stack.token(USER)}`,
        ...stack.subgraphHeaders,
      },
      body: JSON.stringify({ query: `{ courseRun(key: "course-v1:A+B+${'x'.repeat(300)}") { key } }` }),
    });
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'key' });
    expect(upstreamCalls()).toBe(before);
  });
});

describe('a DEFERRED refund names a course run the order has', () => {
  /** A course run the catalog sells (some order has it) that this order has no line for. */
  const otherCourse = (number: string) => {
    const held = new Set(coursesOf(number));
    return allOrders.flatMap((o) => coursesOf(o.number)).find((k) => !held.has(k))!;
  };
  const vendorOrder = () =>
    (seed.vendorOrders ?? []).find(
      (o) => o.username === USER && o.status === 'Complete' && coursesOf(o.number).length > 0,
    )!;

  it.each([
    ['legacy', () => legacyOrder().number],
    ['vendor', () => vendorOrder().number],
  ])(
    'refuses a course run not in the %s order at acceptance: NOTHING_TO_REFUND, no job, no record',
    async (_name, number) => {
      const key = randomUUID();
      const jobsBefore = await jobs();
      const answer = await refund(
        { orderNumber: number(), courseRunKey: otherCourse(number()), delivery: 'DEFERRED' },
        key,
      );
      expect(answer.body.errors![0]).toMatchObject({
        message: 'This order has no line for that course run',
        extensions: { code: 'NOTHING_TO_REFUND' },
      });
      expect(await queue.getData(refundJobId(USER, key))).toBeNull();
      expect(await jobs()).toBe(jobsBefore);
      // No record under the key either: the same key still serves a request the order can take.
      const held = coursesOf(number())[0]!;
      const again = await refund({ orderNumber: number(), courseRunKey: held, delivery: 'DEFERRED' }, key);
      expect(again.body.errors).toBeUndefined();
      expect(again.body.data.requestRefund.status).toBe('PENDING');
      expect(await jobs()).toBe(jobsBefore + 1);
    },
  );
});

describe('log lines carry bounded caller input', () => {
  it('cuts a 900 KB operation name and a long Idempotency-Key in the gateway’s audit lines', async () => {
    const requestId = `r-${randomUUID()}`;
    const name = `R${'x'.repeat(900_000)}`;
    const answer = await stack.query<any>(
      `mutation ${name}($input: RequestRefundInput!) { requestRefund(input: $input) { id } }`,
      {
        user: USER,
        variables: { input: { orderNumber: 'E'.repeat(129) } },
        headers: { 'idempotency-key': 'k'.repeat(8000), 'x-request-id': requestId },
      },
    );
    expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    // The response has been written; the `request completed` line follows the socket's close.
    for (let i = 0; i < 100 && !linesOf(requestId).some((l) => l.includes('request completed')); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const mine = linesOf(requestId);
    expect(mine.map((l) => JSON.parse(l).event)).toEqual(['request received', 'request completed']);
    for (const line of mine) {
      const fields = JSON.parse(line) as Record<string, string>;
      expect(Buffer.byteLength(fields.operationName!)).toBeLessThanOrEqual(MAX_LOG_VALUE_BYTES);
      expect(fields.operationName).toMatch(/…\[900001 bytes\]$/);
      expect(Buffer.byteLength(fields.idempotencyKey!)).toBeLessThanOrEqual(MAX_LOG_VALUE_BYTES);
    }
    // What this request left in the logs, all lines together (stated in docs/security.md).
    const total = mine.reduce((sum, l) => sum + Buffer.byteLength(l), 0);
    expect(total).toBeLessThan(6 * 1024);
  });
});
