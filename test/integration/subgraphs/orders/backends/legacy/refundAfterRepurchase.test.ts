import { randomUUID } from 'node:crypto';
import { courseRunsOf, refundableOrders } from '../../../../../helpers/refundableOrders';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// A learner refunded for a course who buys it again has two Complete orders for it: refunds never
// change an order's status (ecommerce). The later refund does not touch the first order, whose line
// already has a refund line (`create_refunds` skips it), so it is no REFUND_SCOPE_AMBIGUOUS: Switchyard
// knows from its own ledger which courses it had refunded.
const REFUND = `mutation R($input: RequestRefundInput!) {
  requestRefund(input: $input) { orderNumber status refundIds }
}`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const refund = (user: string, orderNumber: string, key = randomUUID()) =>
  stack.query<any>(REFUND, {
    user,
    variables: { input: { orderNumber } },
    headers: { 'idempotency-key': key },
  });

it('refunds a re-purchase after a refund without staff, touching only the new order', async () => {
  const legacy = stack.simulators.legacy!;
  const first = refundableOrders('learner11').find((o) => courseRunsOf(o.number).length === 1)!;
  const [course] = courseRunsOf(first.number);
  const refunded = await refund('learner11', first.number);
  expect(refunded.body.data.requestRefund).toMatchObject({ status: 'OPEN' });

  // Bought again, after the refund.
  const again = {
    ...first,
    number: 'EDX-990999',
    placedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  legacy.placeOrder(again);
  const key = randomUUID();
  const second = await refund('learner11', again.number, key);
  expect(second.body.errors).toBeUndefined();
  expect(second.body.data.requestRefund).toMatchObject({ orderNumber: again.number, status: 'OPEN' });
  expect(legacy.writes.refundCallsByKey.get(key)).toBe(1);
  const made = legacy.writes.refunds.filter((r) => r.idempotencyKey === key);
  expect(made.map((r) => [r.orderNumber, r.courseKeys])).toEqual([[again.number, [course]]]);
  expect(legacy.writes.refunds.filter((r) => r.orderNumber === first.number)).toHaveLength(1);
});

it('still refuses when the other order holding the course was not refunded through Switchyard', async () => {
  const legacy = stack.simulators.legacy!;
  const first = refundableOrders('learner12').find((o) => courseRunsOf(o.number).length === 1)!;
  const twin = { ...first, number: 'EDX-990998' };
  legacy.placeOrder(twin);
  const answer = await refund('learner12', twin.number);
  expect(answer.body.errors![0]!.extensions).toMatchObject({
    code: 'REFUND_SCOPE_AMBIGUOUS',
    otherOrders: [first.number],
  });
});
