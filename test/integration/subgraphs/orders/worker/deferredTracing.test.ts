import { randomBytes, randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../../../../platform/createLogger';
import { REFUND_QUEUE } from '../../../../../subgraphs/orders/queue/RefundJob';
import { idOf, parentOf, serviceOf, SpanCollector, traceOf } from '../../../../helpers/SpanCollector';
import { refundableOrders } from '../../../../helpers/refundableOrders';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';

// A deferred refund is delivered by the worker, seconds or hours after its request: each delivery
// attempt continues the trace of the request that queued it (the job carries its traceparent), so an
// SRE follows one trace from the learner's click to the upstream's refund, and the worker's log lines
// carry that trace id.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { status } }`;

const spans = new SpanCollector();
const lines: Record<string, unknown>[] = [];
const stream = { write: (text: string) => void lines.push(JSON.parse(text) as Record<string, unknown>) };
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(
    { REDIS_URL, REFUND_QUEUE_PREFIX: `test-${randomUUID()}` },
    { refundWorker: true, spans, logger: (component) => createLogger(component, 'info', stream) },
  );
});
afterAll(() => stack?.stop());

const inTrace = (traceId: string) => (s: ReadableSpan) => traceOf(s) === traceId;

async function requestDeferred(orderNumber: string, traceId: string, user = 'learner4') {
  const result = await stack.query<{ requestRefund: { id: string; status: string } }>(REFUND, {
    user,
    variables: { input: { orderNumber, delivery: 'DEFERRED' } },
    headers: {
      'idempotency-key': randomUUID(),
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
  });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.requestRefund.id;
}

async function settled(id: string, user = 'learner4'): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const result = await stack.query<{ refundRequest: { status: string } }>(STATUS, {
      user,
      variables: { id },
    });
    const status = result.body.data?.refundRequest.status;
    if (status && status !== 'PENDING') return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${id} did not settle`);
}

it('continues the requester’s trace in the delivery: CONSUMER span, then the upstream calls under it', async () => {
  const traceId = randomBytes(16).toString('hex');
  const order = refundableOrders('learner4')[0]!;
  const id = await requestDeferred(order.number, traceId);
  expect(await settled(id)).toBe('OPEN');

  const consumer = await spans.waitFor(
    (s) => inTrace(traceId)(s) && serviceOf(s) === 'switchyard-refund-worker' && s.kind === SpanKind.CONSUMER,
  );
  expect(consumer.name).toBe(`process ${REFUND_QUEUE}`);
  expect(consumer.attributes).toMatchObject({
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': REFUND_QUEUE,
    'messaging.message.id': id,
    'switchyard.delivery.attempt': 1,
  });
  expect(consumer.status.code).not.toBe(SpanStatusCode.ERROR);
  // Its parent is a span of the request: the orders subgraph's, which queued the job.
  const parent = spans.getFinishedSpans().find((s) => idOf(s) === parentOf(consumer));
  expect(parent && serviceOf(parent)).toBe('switchyard-orders');

  // The refund itself went to the legacy API from the worker, inside the delivery's span (as did the
  // worker's service-token call to the LMS).
  const refundCall = await spans.waitFor(
    (s) =>
      inTrace(traceId)(s) &&
      serviceOf(s) === 'switchyard-refund-worker' &&
      s.kind === SpanKind.CLIENT &&
      s.name === 'POST /api/v2/refunds/',
  );
  const ancestors = (span: ReadableSpan): string[] => {
    const up = spans.getFinishedSpans().find((s) => idOf(s) === parentOf(span));
    return up ? [idOf(up), ...ancestors(up)] : [];
  };
  expect(ancestors(refundCall)).toContain(idOf(consumer));

  // The worker's audit line of the attempt carries the same trace id.
  const attempt = lines.find(
    (l) => l.component === 'refund-worker' && l.msg === 'deferred refund attempt' && l.jobId === id,
  );
  expect(attempt).toMatchObject({ traceId });
});

it('marks a refused delivery’s span as an error, with its code', async () => {
  const traceId = randomBytes(16).toString('hex');
  const order = refundableOrders('learner4')[1]!;
  // Refunded at once first: the deferred delivery then finds nothing left to refund, a refusal the
  // worker does not retry.
  const first = await stack.query(REFUND, {
    user: 'learner4',
    variables: { input: { orderNumber: order.number } },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(first.body.errors).toBeUndefined();
  const id = await requestDeferred(order.number, traceId);
  expect(await settled(id)).toBe('FAILED');
  const consumer = await spans.waitFor(
    (s) => inTrace(traceId)(s) && serviceOf(s) === 'switchyard-refund-worker' && s.kind === SpanKind.CONSUMER,
  );
  expect(consumer.status.code).toBe(SpanStatusCode.ERROR);
  expect(consumer.attributes['error.type']).toBe('NOTHING_TO_REFUND');
});
