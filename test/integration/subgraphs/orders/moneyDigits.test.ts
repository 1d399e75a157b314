import { MONEY_CASES, MONEY_LEARNER, moneySeed } from '../../../helpers/moneySeed';
import { startTestStack, type TestStack } from '../../../helpers/startTestStack';

// Issue 22, "Currency digits": money in every currency comes out at its value, with ISO 4217's minor
// digits, through the GraphQL API over HTTP, from both simulators (the legacy API's two-place decimals;
// commercetools' per-value fractionDigits and HighPrecisionMoney). docs/api.md, "Money".
const ORDER = `query O($number: ID!) {
  order(number: $number) {
    number
    total { amount currency }
    lines { unitPrice { amount currency } linePrice { amount currency } }
  }
}`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ ORDERS_BACKEND: 'merged' }, { seed: moneySeed() });
});
afterAll(() => stack?.stop());

const read = async (number: string) => {
  const answer = await stack.query<any>(ORDER, { user: MONEY_LEARNER, variables: { number } });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.order;
};

describe.each(MONEY_CASES)('$currency', (c) => {
  it(`legacy ${c.legacyNumber}: "${c.shown}" ${c.currency}, total and lines`, async () => {
    const order = await read(c.legacyNumber);
    const money = { amount: c.shown, currency: c.currency };
    expect(order).toEqual({
      number: c.legacyNumber,
      total: money,
      lines: [{ unitPrice: money, linePrice: money }],
    });
  });

  it(`vendor ${c.vendorNumber}: "${c.precise?.shown ?? c.shown}" ${c.currency} per unit, "${c.shown}" in total`, async () => {
    const order = await read(c.vendorNumber);
    const money = { amount: c.shown, currency: c.currency };
    expect(order).toEqual({
      number: c.vendorNumber,
      total: money,
      lines: [{ unitPrice: { amount: c.precise?.shown ?? c.shown, currency: c.currency }, linePrice: money }],
    });
  });
});

it('shows the same amounts in the merged history, newest first', async () => {
  const answer = await stack.query<any>(
    '{ orderHistory(pageSize: 100) { orders { number total { amount currency } } } }',
    {
      user: MONEY_LEARNER,
    },
  );
  expect(answer.body.errors).toBeUndefined();
  const totals = Object.fromEntries(
    answer.body.data.orderHistory.orders.map((o: any) => [o.number, `${o.total.amount} ${o.total.currency}`]),
  );
  for (const c of MONEY_CASES) {
    expect(totals[c.legacyNumber]).toBe(`${c.shown} ${c.currency}`);
    expect(totals[c.vendorNumber]).toBe(`${c.shown} ${c.currency}`);
  }
});
