import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJwtEnv } from '../../../../../../platform/config/jwtEnv';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../../../../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { json, startFakeUpstream, type FakeUpstream } from '../../../../../helpers/startFakeUpstream';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// What the legacy adapter reads, over real HTTP, against the facts of docs/reference/legacy-ecommerce.md.

const FIELDS = `number total { amount currency } discount { amount currency }
  lines { title quantity unitPrice { amount currency } linePrice { amount currency } }`;

describe('order numbers past six digits', () => {
  // OrderNumberGenerator: `{PARTNER}-{basket_id + 100000}`, no digit limit — basket 900000 is EDX-1000000.
  const seed = createSeed();
  const NUMBER = 'EDX-1000000';
  let legacy: LegacyEcommerceSimulator;
  let stack: TestStack;
  beforeAll(async () => {
    const orders = seed.orders.map((o) => (o.number === 'EDX-100001' ? { ...o, number: NUMBER } : o));
    legacy = await createLegacyEcommerceSimulator({
      seed: { ...seed, orders },
      jwt: parseJwtEnv({}),
      throttleRate: LOAD_TEST_THROTTLE_RATE,
    });
    stack = await startTestStack({ LEGACY_ECOMMERCE_URL: legacy.url });
  });
  afterAll(async () => {
    await stack.stop();
    await legacy.close();
  });

  it('routes order(number: "EDX-1000000") to legacy, not to the vendor', async () => {
    stack.simulators.vendor!.resetStats();
    const result = await stack.query<any>(`query O($n: ID!) { order(number: $n) { ${FIELDS} } }`, {
      user: 'learner1',
      variables: { n: NUMBER },
    });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.order.number).toBe(NUMBER);
    expect(legacy.stats().byRoute['orders.detail']).toBe(1);
    expect(stack.simulators.vendor!.stats().total).toBe(0);
  });
});

describe('discounts and unit prices as the legacy API sends them', () => {
  // One order with a voucher (a JSON number, as DRF writes a raw Decimal) and a site offer (a decimal
  // string, also accepted); `discount` names only the first. Its second line has no unit price.
  const order = {
    number: 'EDX-100042',
    date_placed: '2024-03-02T10:15:00Z',
    status: 'Complete',
    currency: 'USD',
    total_before_discounts_incl_tax: '198.00',
    total_excl_tax: '182.50',
    discount: '10.00',
    basket_discounts: [
      { amount: 10, code: 'SAVE10', offer_type: 'Voucher', currency: 'USD' },
      { amount: '5.50', code: null, offer_type: 'Site', currency: 'USD' },
    ],
    payment_method: 'Visa 1111',
    lines: [
      {
        title: 'Seat in Demo',
        description: 'Seat in Demo',
        quantity: 1,
        status: 'Complete',
        line_price_excl_tax: '137.80',
        unit_price_excl_tax: '149.00',
        product: { attribute_values: [] },
      },
      {
        title: 'Seat in Other',
        description: 'Seat in Other',
        quantity: 1,
        status: 'Complete',
        line_price_excl_tax: '44.70',
        unit_price_excl_tax: null,
        product: { attribute_values: [] },
      },
    ],
  };
  const expected = {
    number: 'EDX-100042',
    total: { amount: '182.50', currency: 'USD' },
    discount: { amount: '15.50', currency: 'USD' },
    lines: [
      {
        title: 'Seat in Demo',
        quantity: 1,
        unitPrice: { amount: '149.00', currency: 'USD' },
        linePrice: { amount: '137.80', currency: 'USD' },
      },
      {
        title: 'Seat in Other',
        quantity: 1,
        unitPrice: null,
        linePrice: { amount: '44.70', currency: 'USD' },
      },
    ],
  };
  let legacy: FakeUpstream;
  let stack: TestStack;
  beforeAll(async () => {
    legacy = await startFakeUpstream();
    legacy.handle((req: IncomingMessage, res: ServerResponse) =>
      req.url?.startsWith('/api/v2/orders/EDX-100042/')
        ? json(res, 200, order)
        : json(res, 200, { count: 1, next: null, previous: null, results: [order] }),
    );
    stack = await startTestStack({ LEGACY_ECOMMERCE_URL: legacy.url });
  });
  afterAll(async () => {
    await stack.stop();
    await legacy.close();
  });

  it('sums every basket discount, and keeps a page whose line has no unit price', async () => {
    const history = await stack.query<any>(`{ orderHistory { count orders { ${FIELDS} } } }`, {
      user: 'learner1',
    });
    expect(history.body).toEqual({ data: { orderHistory: { count: 1, orders: [expected] } } });
  });

  it('does the same for order(number)', async () => {
    const single = await stack.query<any>(`query O($n: ID!) { order(number: $n) { ${FIELDS} } }`, {
      user: 'learner1',
      variables: { n: 'EDX-100042' },
    });
    expect(single.body).toEqual({ data: { order: expected } });
  });
});

describe('the request budget on legacy lookups', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ ORDERS_MAX_UPSTREAM_CALLS_PER_REQUEST: '3' });
  });
  afterAll(() => stack.stop());

  it('answers the lookups within it and refuses only the rest, with no call for them', async () => {
    const numbers = createSeed()
      .orders.filter((o) => o.username === 'learner1')
      .slice(0, 5)
      .map((o) => o.number);
    const aliases = numbers.map((n, i) => `o${i}: order(number: "${n}") { number }`).join(' ');
    stack.simulators.legacy!.resetStats();
    const result = await stack.query<any>(`{ ${aliases} }`, { user: 'learner1' });
    expect(stack.simulators.legacy!.stats().byRoute).toEqual({ 'orders.detail': 3 });
    const answered = numbers.map((_, i) => result.body.data[`o${i}`]?.number ?? null);
    expect(answered.filter(Boolean)).toHaveLength(3);
    expect(result.body.errors).toHaveLength(2);
    for (const error of result.body.errors ?? [])
      expect(error.extensions).toMatchObject({ code: 'REQUEST_BUDGET_EXCEEDED' });
  });
});
