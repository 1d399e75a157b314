import { randomUUID } from 'node:crypto';
import { createLogger } from '../../../../../platform/createLogger';
import { createSeed } from '../../../../../simulators/seed/createSeed';
import { ambiguousOrders, refundableOrders } from '../../../../helpers/refundableOrders';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';

// The mutation services' own rules, in process (so mutation testing reaches them): input limits and
// the Idempotency-Key's forms, refused before any upstream call; what makes two requests the same
// request; and the audit lines an operator reads (docs/observability.md, "Audit trail").
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REFUND = `mutation Refund($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status refundIds refundIdsKnown }
}`;
const FULFILL = `mutation Fulfill($number: ID!) { fulfillOrder(number: $number) { number status } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status refundIdsKnown } }`;
const seed = createSeed();

const lines: Record<string, unknown>[] = [];
const stream = { write: (text: string) => void lines.push(JSON.parse(text) as Record<string, unknown>) };
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(
    { REDIS_URL, REFUND_QUEUE_PREFIX: `test-${randomUUID()}` },
    { refundWorker: true, logger: (component) => createLogger(component, 'info', stream) },
  );
});
afterAll(() => stack?.stop());

const upstreamCalls = () => stack.simulators.legacy!.stats().total;
const refund = (
  input: Record<string, unknown>,
  options: { user?: string; staff?: boolean; key?: string | null; requestId?: string } = {},
) =>
  stack.query<any>(REFUND, {
    user: options.user ?? 'learner3',
    staff: options.staff,
    variables: { input },
    headers: {
      ...(options.key === null ? {} : { 'idempotency-key': options.key ?? randomUUID() }),
      ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
    },
  });
const auditOf = (requestId: string) =>
  lines.filter(
    (l) => l.component === 'orders-subgraph' && l.audit === 'mutation' && l.requestId === requestId,
  );
async function eventually<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('not seen in time');
}

describe('input limits, refused before any upstream call', () => {
  const order = () => refundableOrders('learner3')[0]!.number;

  it('refuses a reason over 500 characters, naming the argument', async () => {
    const before = upstreamCalls();
    const answer = await refund({ orderNumber: order(), reason: 'r'.repeat(501) });
    expect(answer.body.errors![0]!).toMatchObject({
      message: 'input.reason must be at most 500 characters',
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.reason', bound: { maxLength: 500 } },
    });
    expect(upstreamCalls()).toBe(before);
  });

  it('refuses alsoRefund naming more than 50 orders, naming the argument', async () => {
    const before = upstreamCalls();
    const many = Array.from({ length: 51 }, (_, i) => `EDX-${String(200000 + i)}`);
    const answer = await refund({ orderNumber: order(), alsoRefund: many }, { user: 'support', staff: true });
    expect(answer.body.errors![0]!).toMatchObject({
      message: 'input.alsoRefund must have at most 50 items',
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.alsoRefund', bound: { maxItems: 50 } },
    });
    expect(upstreamCalls()).toBe(before);
  });

  it('lets the bounds themselves through: a 500-character reason, 50 orders in alsoRefund', async () => {
    const reason = await refund({
      orderNumber: refundableOrders('learner3')[1]!.number,
      reason: 'r'.repeat(500),
    });
    expect(reason.body.errors).toBeUndefined();
    expect(reason.body.data.requestRefund.status).toBe('OPEN');
    const fifty = Array.from({ length: 50 }, (_, i) => `EDX-${String(200000 + i)}`);
    const also = await refund({ orderNumber: order(), alsoRefund: fifty }, { user: 'support', staff: true });
    // Past the limit check: refused later, for naming orders the refund would not touch.
    expect(also.body.errors![0]!.message).not.toBe('input.alsoRefund must have at most 50 items');
  });
});

describe('the Idempotency-Key header', () => {
  it('treats a blank header as missing: IDEMPOTENCY_KEY_REQUIRED, nothing sent', async () => {
    const before = upstreamCalls();
    const answer = await refund({ orderNumber: refundableOrders('learner3')[2]!.number }, { key: '   ' });
    expect(answer.body.errors![0]!).toMatchObject({
      message: 'This mutation needs an Idempotency-Key header (e.g. a UUID)',
      extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' },
    });
    expect(upstreamCalls()).toBe(before);
  });

  it('says what a valid key looks like', async () => {
    const answer = await refund({ orderNumber: refundableOrders('learner3')[2]!.number }, { key: 'short' });
    expect(answer.body.errors![0]!.message).toBe(
      'Idempotency-Key must be 8-255 printable characters without spaces',
    );
  });

  it('reads a structured-field string ("…") as the same key as the bare value', async () => {
    const key = randomUUID();
    const orderNumber = refundableOrders('learner3')[3]!.number;
    const quoted = await refund({ orderNumber }, { key: `"${key}"` });
    expect(quoted.body.errors).toBeUndefined();
    const bare = await refund({ orderNumber }, { key });
    expect(bare.headers.get('idempotent-replayed')).toBe('true');
    expect(bare.body.data).toEqual(quoted.body.data);
    expect(stack.simulators.legacy!.writes.refundCallsByKey.get(key)).toBeGreaterThan(0);
  });
});

describe('what makes two requests the same request', () => {
  it('refuses a key spent on an IMMEDIATE refund for a DEFERRED one (and executes nothing)', async () => {
    const key = randomUUID();
    const orderNumber = refundableOrders('learner3')[4]!.number;
    expect((await refund({ orderNumber }, { key })).body.errors).toBeUndefined();
    const calls = upstreamCalls();
    const deferred = await refund({ orderNumber, delivery: 'DEFERRED' }, { key });
    expect(deferred.body.errors![0]!.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISMATCH' });
    expect(upstreamCalls()).toBe(calls);
  });

  it('takes alsoRefund as a set: repeated or reordered orders are the same request, replayed', async () => {
    const order = ambiguousOrders('learner9', seed)[0] ?? ambiguousOrders('learner7', seed)[1]!;
    const courses = new Set(order.lines.flatMap((l) => (l.courseKey ? [l.courseKey] : [])));
    const others = seed.orders
      .filter((o) => o.username === order.username && o.status === 'Complete' && o.number !== order.number)
      .filter((o) => o.lines.some((l) => l.courseKey && courses.has(l.courseKey)))
      .map((o) => o.number)
      .sort();
    const key = randomUUID();
    const first = await refund(
      { orderNumber: order.number, alsoRefund: [...others, others[0]!] },
      { user: 'support', staff: true, key },
    );
    expect(first.body.errors).toBeUndefined();
    const again = await refund(
      { orderNumber: order.number, alsoRefund: [...others].reverse() },
      { user: 'support', staff: true, key },
    );
    expect(again.body.errors).toBeUndefined();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('the audit trail', () => {
  it('opens a refund with `received`, naming the order and the delivery', async () => {
    const requestId = `r-${randomUUID()}`;
    const key = randomUUID();
    const orderNumber = refundableOrders('learner3')[5]!.number;
    const answer = await refund({ orderNumber }, { key, requestId });
    expect(answer.body.data.requestRefund.refundIdsKnown).toBe(true);
    const received = auditOf(requestId)[0];
    expect(received).toMatchObject({
      msg: 'mutation received',
      event: 'received',
      operation: 'requestRefund',
      orderNumber,
      delivery: 'IMMEDIATE',
      user: 'learner3',
      idempotencyKey: key,
    });
    // Its answer is kept for refundRequest(id), ids known.
    const status = await stack.query<any>(STATUS, {
      user: 'learner3',
      variables: { id: answer.body.data.requestRefund.id },
    });
    expect(status.body.data.refundRequest).toMatchObject({ status: 'OPEN', refundIdsKnown: true });
  });

  it('opens a fulfilment with `received`, naming the order', async () => {
    const requestId = `r-${randomUUID()}`;
    const number = seed.orders.find((o) => o.status === 'Open')!.number;
    const answer = await stack.query<any>(FULFILL, {
      user: 'support',
      staff: true,
      variables: { number },
      headers: { 'idempotency-key': randomUUID(), 'x-request-id': requestId },
    });
    expect(answer.body.errors).toBeUndefined();
    expect(auditOf(requestId)[0]).toMatchObject({
      event: 'received',
      operation: 'fulfillOrder',
      orderNumber: number,
      user: 'support',
    });
  });

  it('logs a deferred refund queued (`enqueued`, new), then its delivery via the service user', async () => {
    const requestId = `r-${randomUUID()}`;
    const key = randomUUID();
    const orderNumber = refundableOrders('learner3')[6]!.number;
    const answer = await refund({ orderNumber, delivery: 'DEFERRED' }, { requestId, key });
    expect(answer.body.errors).toBeUndefined();
    const id = answer.body.data.requestRefund.id as string;
    expect(auditOf(requestId)).toContainEqual(
      expect.objectContaining({ event: 'enqueued', jobId: id, duplicate: false }),
    );
    // The worker's lines, under the same request id.
    const delivered = await eventually(() =>
      lines.find(
        (l) =>
          l.component === 'refund-worker' &&
          l.requestId === requestId &&
          l.operation === 'requestRefund.deferred' &&
          l.event === 'outcome',
      ),
    );
    expect(delivered).toMatchObject({ audit: 'mutation', outcome: 'success', user: 'learner3' });
    expect(typeof delivered.via).toBe('string');
    expect(delivered.via).not.toBe('learner3');
    // A retry of the request answers the job as it is now (delivered), marked replayed.
    const retry = await refund({ orderNumber, delivery: 'DEFERRED' }, { key });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.data.requestRefund).toMatchObject({ id, status: 'OPEN', refundIdsKnown: true });
    const status = await stack.query<any>(STATUS, { user: 'learner3', variables: { id } });
    expect(status.body.data.refundRequest).toMatchObject({ status: 'OPEN', refundIdsKnown: true });
  });
});
