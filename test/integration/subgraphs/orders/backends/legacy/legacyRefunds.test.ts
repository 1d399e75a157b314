import { randomUUID } from 'node:crypto';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { ambiguousOrders, refundableOrders } from '../../../../../helpers/refundableOrders';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// Refunds in the terms the real legacy API accepts (docs/reference/legacy-ecommerce.md, "Refunds"):
// one POST {username, course_id} per course of the order, and never a refund of an order the request
// did not name — the API refunds a course in every Complete order holding it.
const REFUND = `mutation R($input: RequestRefundInput!) {
  requestRefund(input: $input) { orderNumber status refundIds refundIdsKnown }
}`;
const seed = createSeed();
const coursesOf = (number: string) => [
  ...new Set(
    seed.orders.find((o) => o.number === number)!.lines.flatMap((l) => (l.courseKey ? [l.courseKey] : [])),
  ),
];
const othersHolding = (user: string, number: string) => {
  const courses = coursesOf(number);
  return seed.orders
    .filter((o) => o.username === user && o.status === 'Complete' && o.number !== number)
    .filter((o) => o.lines.some((l) => l.courseKey && courses.includes(l.courseKey)))
    .map((o) => o.number)
    .sort();
};

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const writes = () => stack.simulators.legacy!.writes;
const refund = (user: string, input: Record<string, unknown>, staff = false, key = randomUUID()) =>
  stack.query<any>(REFUND, { user, staff, variables: { input }, headers: { 'idempotency-key': key } });

it('refunds a whole order as one course_id refund per course run, touching no other order', async () => {
  const order =
    refundableOrders('learner5').find((o) => coursesOf(o.number).length > 1) ??
    refundableOrders('learner5')[0]!;
  const key = randomUUID();
  const answer = await refund('learner5', { orderNumber: order.number }, false, key);
  expect(answer.body.data.requestRefund).toMatchObject({
    orderNumber: order.number,
    status: 'OPEN',
    refundIdsKnown: true,
  });
  expect(writes().refundCallsByKey.get(key)).toBe(coursesOf(order.number).length);
  const made = writes().refunds.filter((r) => r.idempotencyKey === key);
  expect(new Set(made.map((r) => r.orderNumber))).toEqual(new Set([order.number]));
  expect(made.flatMap((r) => r.courseKeys).sort()).toEqual(coursesOf(order.number).sort());
});

it('refuses a refund that would also refund another order: REFUND_SCOPE_AMBIGUOUS naming them, 0 writes', async () => {
  const order = ambiguousOrders('learner6')[0]!;
  const key = randomUUID();
  const answer = await refund('learner6', { orderNumber: order.number }, false, key);
  expect(answer.body.data).toBeNull();
  expect(answer.body.errors![0]!.extensions).toMatchObject({
    code: 'REFUND_SCOPE_AMBIGUOUS',
    otherOrders: othersHolding('learner6', order.number),
  });
  expect(writes().refundCallsByKey.get(key)).toBeUndefined();
  // A learner cannot confirm the wider scope, even naming exactly those orders.
  const confirmed = await refund('learner6', {
    orderNumber: order.number,
    alsoRefund: othersHolding('learner6', order.number),
  });
  expect(confirmed.body.errors![0]!.extensions).toMatchObject({ code: 'REFUND_SCOPE_AMBIGUOUS' });
  expect(writes().refunds.filter((r) => r.orderNumber === order.number)).toHaveLength(0);
});

it('lets staff confirm the wider scope by naming exactly the other orders; a partial list is refused', async () => {
  const order = ambiguousOrders('learner7')[0]!;
  const others = othersHolding('learner7', order.number);
  const sent = writes().refunds.length;
  const partial = await refund('support', { orderNumber: order.number, alsoRefund: others.slice(1) }, true);
  expect(partial.body.errors![0]!.extensions).toMatchObject({
    code: 'REFUND_SCOPE_AMBIGUOUS',
    otherOrders: others,
  });
  // Refused on reads alone: not one refund request went out.
  expect(writes().refunds.length).toBe(sent);
  const key = randomUUID();
  const done = await refund('support', { orderNumber: order.number, alsoRefund: others }, true, key);
  expect(done.body.data.requestRefund).toMatchObject({ orderNumber: order.number, status: 'OPEN' });
  const touched = new Set(
    writes()
      .refunds.filter((r) => r.idempotencyKey === key)
      .map((r) => r.orderNumber),
  );
  expect([...touched].sort()).toEqual([order.number, ...others].sort());
});

it('refuses alsoRefund naming orders the refund would not touch', async () => {
  const order = refundableOrders('learner8')[0]!;
  const answer = await refund('support', { orderNumber: order.number, alsoRefund: ['EDX-100001'] }, true);
  expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(writes().refunds.filter((r) => r.orderNumber === order.number)).toHaveLength(0);
});
