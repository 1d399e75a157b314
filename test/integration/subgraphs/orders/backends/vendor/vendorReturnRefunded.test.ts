import { randomUUID } from 'node:crypto';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// A commercetools return is a refund: in edX's deployment Commerce Coordinator reacts to it by
// refunding the payment and revoking the learner's access (OrderReturnedView,
// fulfill_order_returned_signal_task). The vendor simulator models that reaction, so a test sees a
// Switchyard refund of a vendor order refund the money and revoke the seat once, and only once.
const REFUND = `mutation R($input: RequestRefundInput!) {
  requestRefund(input: $input) { orderNumber status refundIds }
}`;
const seed = createSeed();

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

it('refunds the payment and revokes access once per returned line, and never again', async () => {
  const vendor = stack.simulators.vendor!;
  const order = seed.vendorOrders!.find(
    (o) => o.username === 'learner3' && o.status === 'Complete' && o.lines.length === 1,
  )!;
  const refund = (key: string) =>
    stack.query<any>(REFUND, {
      user: 'learner3',
      variables: { input: { orderNumber: order.number } },
      headers: { 'idempotency-key': key },
    });
  const key = randomUUID();
  const first = await refund(key);
  expect(first.body.errors).toBeUndefined();
  // Recorded by the vendor; the refund itself is Commerce Coordinator's, after the update.
  expect(first.body.data.requestRefund).toMatchObject({ orderNumber: order.number, status: 'DELIVERED' });
  await vendor.writes.coordinator.idle();
  const mine = () => vendor.writes.coordinator.handled.filter((h) => h.orderNumber === order.number);
  expect(mine()).toEqual([
    expect.objectContaining({
      sku: order.lines[0]!.courseKey,
      returnItemId: first.body.data.requestRefund.refundIds[0],
    }),
  ]);
  // The same request again is a replay; a new one finds nothing left: no second refund either way.
  await refund(key);
  const again = await refund(randomUUID());
  expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'NOTHING_TO_REFUND' });
  await vendor.writes.coordinator.idle();
  expect(mine()).toHaveLength(1);
});
