import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// `order(number)` goes to the system that issued the number, whatever ORDERS_BACKEND serves history
// from, and ORDERS_LEGACY_NUMBER_PATTERN is what decides which system that is.
const seed = createSeed();
const legacyOrderOf = (username: string) => seed.orders.find((o) => o.username === username)!.number;
const vendorOrderOf = (username: string) => seed.vendorOrders!.find((o) => o.username === username)!.number;

const ORDER = `query One($number: ID!) { order(number: $number) { number } }`;
const numberOf = async (stack: TestStack, user: string, number: string) => {
  const result = await stack.query<{ order: { number: string } | null }>(ORDER, {
    user,
    variables: { number },
  });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.order?.number ?? null;
};

describe.each(['legacy', 'vendor', 'merged'])(
  'ORDERS_BACKEND=%s routes order(number) by its shape',
  (mode) => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack({ ORDERS_BACKEND: mode });
    });
    afterAll(() => stack.stop());
    beforeEach(() => {
      stack.simulators.legacy!.resetStats();
      stack.simulators.vendor!.resetStats();
    });

    it('finds a legacy number in the legacy system only', async () => {
      const mine = legacyOrderOf('learner1');
      expect(await numberOf(stack, 'learner1', mine)).toBe(mine);
      expect(await numberOf(stack, 'learner1', legacyOrderOf('learner3'))).toBeNull();
      expect(stack.simulators.legacy!.stats().byRoute['orders.detail']).toBe(2);
      expect(stack.simulators.vendor!.stats().total).toBe(0);
    });

    it('finds a vendor number in the vendor system only', async () => {
      const mine = vendorOrderOf('learner1');
      expect(await numberOf(stack, 'learner1', mine)).toBe(mine);
      expect(stack.simulators.legacy!.stats().total).toBe(0);
      expect(stack.simulators.vendor!.stats().byRoute['orders.query']).toBeGreaterThan(0);
    });
  },
);

describe('a custom ORDERS_LEGACY_NUMBER_PATTERN', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ ORDERS_BACKEND: 'legacy', ORDERS_LEGACY_NUMBER_PATTERN: '^ZZZ-\\d+$' });
  });
  afterAll(() => stack.stop());

  it('sends numbers it does not match to the vendor, and never to legacy', async () => {
    stack.simulators.legacy!.resetStats();
    // An EDX number no longer looks legacy: the vendor is asked and has no such order.
    expect(await numberOf(stack, 'learner1', legacyOrderOf('learner1'))).toBeNull();
    const vendorNumber = vendorOrderOf('learner1');
    expect(await numberOf(stack, 'learner1', vendorNumber)).toBe(vendorNumber);
    expect(stack.simulators.legacy!.stats().total).toBe(0);
  });
});
