import { randomUUID } from 'node:crypto';
import { createSeed } from '../../../../../simulators/seed/createSeed';
import { ambiguousOrders, courseRunsOf, refundableOrders } from '../../../../helpers/refundableOrders';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';

// Honest refund states against the legacy simulator (ecommerce's Refund model: created Open, money
// moves only through PUT /api/v2/refunds/{id}/process/). OPEN until staff process it; APPROVED means
// the payment went back and the seat was revoked; DENIED that nothing was refunded.
const REFUND = `mutation R($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status refundIds lastError }
}`;
const PROCESS = `mutation P($input: ProcessRefundInput!) {
  processRefund(input: $input) { id orderNumber status refundIds lastError }
}`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status refundIds lastError } }`;

/** One paid course run per order: one legacy refund each, with money to give back. */
const singleCourse = (user: string) =>
  refundableOrders(user)
    .filter((o) => courseRunsOf(o.number).length === 1 && o.lines.every((l) => l.unitPriceMinor > 0))
    .map((o) => o.number);
/** Orders that cost nothing (a free seat): their refund's credit is 0. */
const free = (user: string) =>
  createSeed()
    .orders.filter(
      (o) =>
        o.username === user &&
        o.status === 'Complete' &&
        o.lines.length > 0 &&
        o.lines.every(
          (l) => l.unitPriceMinor === 0 && (l.courseKey === null || courseRunsOf(o.number).length === 1),
        ),
    )
    .filter((o) => !ambiguousOrders(user).some((a) => a.number === o.number))
    .map((o) => o.number);

describe('without automatic approval (the default)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());
  const legacy = () => stack.simulators.legacy!.writes;
  const refund = (user: string, orderNumber: string) =>
    stack.query<any>(REFUND, {
      user,
      variables: { input: { orderNumber } },
      headers: { 'idempotency-key': randomUUID() },
    });
  const processAs = (user: string, staff: boolean, input: Record<string, unknown>, key = randomUUID()) =>
    stack.query<any>(PROCESS, { user, staff, variables: { input }, headers: { 'idempotency-key': key } });

  it('answers OPEN with no money moved; staff approval makes it APPROVED with one process call', async () => {
    const orderNumber = singleCourse('learner9')[0]!;
    const [course] = courseRunsOf(orderNumber);
    const created = await refund('learner9', orderNumber);
    expect(created.body.errors).toBeUndefined();
    const request = created.body.data.requestRefund;
    expect(request).toMatchObject({ orderNumber, status: 'OPEN', lastError: null });
    const [refundId] = request.refundIds as string[];
    const upstream = () => legacy().refunds.find((r) => String(r.id) === refundId)!;
    expect(upstream().status).toBe('Open');
    expect(legacy().effects.credited).not.toContain(upstream().id);

    const key = randomUUID();
    const approved = await processAs('support', true, { id: request.id, action: 'APPROVE' }, key);
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data.processRefund).toMatchObject({
      id: request.id,
      status: 'APPROVED',
      lastError: null,
    });
    expect(legacy().processCalls.filter((c) => c.refundId === refundId)).toEqual([
      { refundId, action: 'approve' },
    ]);
    expect(upstream().status).toBe('Complete');
    expect(legacy().effects.credited).toContain(upstream().id);
    expect(legacy().effects.revokedSeats).toContain(`learner9\u0000${course}`);
    // The learner's view follows; a replay of the decision makes no second call.
    const seen = await stack.query<any>(STATUS, { user: 'learner9', variables: { id: request.id } });
    expect(seen.body.data.refundRequest).toMatchObject({ status: 'APPROVED' });
    const again = await processAs('support', true, { id: request.id, action: 'APPROVE' }, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(legacy().processCalls.filter((c) => c.refundId === refundId)).toHaveLength(1);
  });

  it('answers DENIED after staff deny it: no credit, the seat kept', async () => {
    const orderNumber = singleCourse('learner9')[1]!;
    const request = (await refund('learner9', orderNumber)).body.data.requestRefund;
    const denied = await processAs('support', true, { id: request.id, action: 'DENY' });
    expect(denied.body.data.processRefund).toMatchObject({ status: 'DENIED' });
    const upstream = legacy().refunds.find((r) => String(r.id) === request.refundIds[0])!;
    expect(upstream.status).toBe('Denied');
    expect(legacy().effects.credited).not.toContain(upstream.id);
  });

  it('answers APPROVED at once for a refund of nothing, as create_with_lines approves it, with no process call', async () => {
    const orderNumber = free('learner9')[0]!;
    const before = legacy().processCalls.length;
    const request = (await refund('learner9', orderNumber)).body.data.requestRefund;
    expect(request).toMatchObject({ status: 'APPROVED' });
    expect(legacy().refunds.find((r) => String(r.id) === request.refundIds[0])!.status).toBe('Complete');
    expect(legacy().processCalls.length).toBe(before);
  });

  it('refuses a learner (FORBIDDEN) and an unknown request (NOT_FOUND) before any process call', async () => {
    const orderNumber = singleCourse('learner9')[2]!;
    const request = (await refund('learner9', orderNumber)).body.data.requestRefund;
    const before = legacy().processCalls.length;
    const learner = await processAs('learner9', false, { id: request.id, action: 'APPROVE' });
    expect(learner.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const unknown = await processAs('support', true, { id: `refund-${'0'.repeat(32)}`, action: 'APPROVE' });
    expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(legacy().processCalls.length).toBe(before);
  });
});

describe('with automatic approval (REFUND_AUTO_APPROVE=true)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ REFUND_AUTO_APPROVE: 'true' });
  });
  afterAll(() => stack.stop());

  it('creates once and processes once with approve: APPROVED, the payment credited and the seat revoked', async () => {
    const legacy = stack.simulators.legacy!.writes;
    const orderNumber = singleCourse('learner10')[0]!;
    const [course] = courseRunsOf(orderNumber);
    const key = randomUUID();
    const answer = await stack.query<any>(REFUND, {
      user: 'learner10',
      variables: { input: { orderNumber } },
      headers: { 'idempotency-key': key },
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.requestRefund).toMatchObject({ status: 'APPROVED', lastError: null });
    const [refundId] = answer.body.data.requestRefund.refundIds as string[];
    expect(legacy.refundCallsByKey.get(key)).toBe(1);
    expect(legacy.processCalls).toEqual([{ refundId, action: 'approve' }]);
    expect(legacy.refunds.find((r) => String(r.id) === refundId)!.status).toBe('Complete');
    expect(legacy.effects.revokedSeats).toEqual([`learner10\u0000${course}`]);
  });
});
