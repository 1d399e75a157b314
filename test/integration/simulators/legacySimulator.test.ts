import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../../simulators/seed/createSeed';

// The legacy ecommerce simulator over HTTP, against the facts of docs/reference/upstream-apis.md §1: the DRF
// envelope, the OrderSerializer field set, and the service's auth answers.
const seed = createSeed();
const jwt = parseJwtEnv({});
let simulator: LegacyEcommerceSimulator;
beforeAll(async () => {
  simulator = await createLegacyEcommerceSimulator({ seed, jwt });
});
afterAll(() => simulator.close());

const auth = (username: string, staff = false) => `JWT ${signToken(username, jwt, { staff })}`;
async function get(path: string, authorization?: string) {
  const response = await fetch(`${simulator.url}${path}`, {
    headers: authorization ? { authorization } : {},
  });
  return { status: response.status, body: (await response.json()) as any };
}

const ORDER_FIELDS = [
  'basket_discounts',
  'billing_address',
  'contains_credit_seat',
  'currency',
  'dashboard_url',
  'date_placed',
  'discount',
  'enable_hoist_order_history',
  'enterprise_learner_portal_url',
  'lines',
  'number',
  'order_product_ids',
  'payment_method',
  'payment_processor',
  'product_tracking',
  'status',
  'total_before_discounts_incl_tax',
  'total_excl_tax',
  'user',
  'vouchers',
];

it('pages a learner’s orders in the DRF envelope, newest first, with absolute next/previous links', async () => {
  const total = seed.orders.filter((o) => o.username === 'learner1').length;
  const page = await get('/api/v2/orders/?username=learner1&page=2&page_size=5', auth('learner1'));
  expect(page.status).toBe(200);
  expect(Object.keys(page.body).sort()).toEqual(['count', 'next', 'previous', 'results']);
  expect(page.body.count).toBe(total);
  expect(page.body.next).toBe(`${simulator.url}/api/v2/orders/?page=3&page_size=5&username=learner1`);
  expect(page.body.previous).toBe(`${simulator.url}/api/v2/orders/?page=1&page_size=5&username=learner1`);
  expect(page.body.results).toHaveLength(5);
  const dates = page.body.results.map((o: any) => o.date_placed);
  expect(dates).toEqual([...dates].sort().reverse());
  expect(dates.every((d: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(d))).toBe(true);
});

it('renders every OrderSerializer field, and the line, product and voucher shapes', async () => {
  const { body } = await get('/api/v2/orders/?page_size=200', auth('learner1'));
  for (const order of body.results) expect(Object.keys(order).sort()).toEqual(ORDER_FIELDS);
  const line = body.results[0].lines[0];
  expect(Object.keys(line).sort()).toEqual(
    expect.arrayContaining([
      'course_organization',
      'description',
      'line_price_excl_tax',
      'product',
      'quantity',
      'status',
      'title',
      'unit_price_excl_tax',
    ]),
  );
  expect(line.product).toMatchObject({
    id: expect.any(Number),
    product_class: expect.any(String),
    attribute_values: expect.any(Array),
    stockrecords: expect.any(Array),
  });
  const withVoucher = body.results.find((o: any) => o.vouchers.length > 0);
  expect(withVoucher.vouchers[0]).toMatchObject({
    code: expect.any(String),
    redeem_url: expect.stringContaining('code='),
    benefit: { type: expect.any(String), value: expect.any(Number) },
    is_public: expect.any(Boolean),
  });
  // DRF DecimalField: strings with two places, whatever the currency.
  expect(body.results.every((o: any) => /^\d+\.\d\d$/.test(o.total_excl_tax))).toBe(true);
});

it('answers a page past the end with 404 "Invalid page." and no count', async () => {
  expect(await get('/api/v2/orders/?page=999&page_size=20', auth('learner1'))).toEqual({
    status: 404,
    body: { detail: 'Invalid page.' },
  });
});

it('keeps learners to their own orders: 403 for another username, 404 for another’s order', async () => {
  const theirs = seed.orders.find((o) => o.username === 'learner3')!.number;
  expect((await get('/api/v2/orders/?username=learner3', auth('learner1'))).status).toBe(403);
  expect(await get(`/api/v2/orders/${theirs}/`, auth('learner1'))).toEqual({
    status: 404,
    body: { detail: 'Not found.' },
  });
  // Staff may name anyone, and read anyone's order.
  expect((await get('/api/v2/orders/?username=learner3', auth('staff', true))).body.count).toBe(
    seed.orders.filter((o) => o.username === 'learner3').length,
  );
  expect((await get(`/api/v2/orders/${theirs}/`, auth('staff', true))).body.number).toBe(theirs);
});

it('wants a JWT: 401 without credentials, with a bad signature, or a JWT sent as an OAuth Bearer token', async () => {
  expect((await get('/api/v2/orders/')).status).toBe(401);
  expect((await get('/api/v2/orders/', `${auth('learner1')}x`)).status).toBe(401);
  expect((await get('/api/v2/orders/', auth('learner1').replace(/^JWT/, 'Bearer'))).status).toBe(401);
  expect(simulator.stats().byRoute['orders.list']).toBeGreaterThan(0);
});
