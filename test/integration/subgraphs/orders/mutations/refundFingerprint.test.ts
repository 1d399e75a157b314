import { randomUUID } from 'node:crypto';
import { courseRunsOf, refundableOrders } from '../../../../helpers/refundableOrders';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';

// One Idempotency-Key names one request: every argument of a refund is in its fingerprint, so the
// same key with another course run or another reason is IDEMPOTENCY_KEY_MISMATCH and calls nothing.
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { status refundIds } }`;
const order = refundableOrders('learner5').find((o) => courseRunsOf(o.number).length > 1)!;
const [first, second] = courseRunsOf(order.number);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const refund = (key: string, input: Record<string, unknown>) =>
  stack.query<any>(REFUND, {
    user: 'learner5',
    variables: { input: { orderNumber: order.number, ...input } },
    headers: { 'idempotency-key': key },
  });
const sent = (key: string) => stack.simulators.legacy!.writes.refundCallsByKey.get(key) ?? 0;

it.each([
  ['another course run', { courseRunKey: second }],
  ['another reason', { courseRunKey: first, reason: 'changed my mind' }],
  ['no course run (the whole order)', {}],
])('refuses the same key with %s, with no second upstream call', async (_label, other) => {
  const key = randomUUID();
  const done = await refund(key, { courseRunKey: first, reason: null });
  expect(done.body.data?.requestRefund?.status ?? done.body.errors?.[0]?.extensions?.code).toMatch(
    /OPEN|NOTHING_TO_REFUND/,
  );
  const calls = sent(key);
  const again = await refund(key, other);
  expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISMATCH' });
  expect(sent(key)).toBe(calls);
});
