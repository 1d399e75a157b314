import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../simulators/seed/createSeed';
import { currencyDigits } from '../../simulators/seed/SeedOrder';

// The legacy ecommerce simulator is a claim about openedx/ecommerce (and the django-oscar and DRF code
// it runs on): each read-side rule below names the file it comes from (docs/reference/legacy-ecommerce.md
// has the detail) and checks the simulator keeps it, over HTTP.
const jwt = parseJwtEnv({});
const seed = createSeed();

let now: number;
let sim: LegacyEcommerceSimulator;
beforeEach(async () => {
  now = Date.UTC(2026, 0, 1);
  sim = await createLegacyEcommerceSimulator({ seed, jwt, now: () => now });
});
afterEach(() => sim.close());

const auth = (user: string, staff = false) => `JWT ${signToken(user, jwt, { staff })}`;
async function call(path: string, user: string | null = 'learner1', init: RequestInit = {}) {
  const response = await fetch(`${sim.url}${path}`, {
    ...init,
    headers: { ...(user ? { authorization: auth(user, user === 'staff') } : {}), ...init.headers },
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const get = (path: string, user?: string | null) => call(path, user);
/** Statuses of `n` requests made one after the other. */
async function statuses(n: number, request: () => Promise<{ status: number }>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) seen.push((await request()).status);
  return seen;
}
const ordersOf = (username: string) => seed.orders.filter((o) => o.username === username);

describe('throttling', () => {
  // ecommerce/settings/base.py REST_FRAMEWORK: DEFAULT_THROTTLE_RATES {'user': '75/minute'}; DRF's
  // SimpleRateThrottle keeps a sliding log per user and answers Throttled: 429, "Request was throttled.
  // Expected available in N seconds." and Retry-After: N (rest_framework/throttling.py, exceptions.py,
  // views.py exception_handler).
  it('refuses a learner’s 76th request within a minute with 429, the DRF body and Retry-After', async () => {
    expect(await get('/api/v2/orders/')).toMatchObject({ status: 200 });
    now += 20_000;
    const next = await statuses(74, () => get('/api/v2/orders/?page_size=1'));
    expect(next.every((s) => s === 200)).toBe(true);
    const refused = await get('/api/v2/orders/');
    expect(refused).toMatchObject({
      status: 429,
      body: { detail: 'Request was throttled. Expected available in 40 seconds.' },
    });
    expect(refused.headers.get('retry-after')).toBe('40');
    // A refused request is not logged: once the first one is a minute old, one more is let through.
    now += 40_000;
    expect((await get('/api/v2/orders/')).status).toBe(200);
    expect((await get('/api/v2/orders/')).status).toBe(429);
  });

  it('counts per user: one learner throttled leaves another, and staff, their own allowance', async () => {
    await statuses(75, () => get('/api/v2/orders/?page_size=1'));
    expect((await get('/api/v2/orders/')).status).toBe(429);
    expect((await get('/api/v2/orders/', 'learner3')).status).toBe(200);
    // Staff are throttled like anyone (ServiceUserThrottle exempts service users by name only).
    const staff = await statuses(76, () => get('/api/v2/orders/?page_size=1', 'staff'));
    expect(staff.slice(0, 75).every((s) => s === 200)).toBe(true);
    expect(staff[75]).toBe(429);
  });

  // ecommerce/extensions/api/throttles.py ServiceUserThrottle, on OrderViewSet
  // (api/v2/views/orders.py throttle_classes): ECOMMERCE_SERVICE_WORKER_USERNAME ('ecommerce_worker')
  // and the prospectus, discovery and subscriptions workers are never throttled there.
  it('never throttles ecommerce_worker on the orders endpoints', async () => {
    const seen = await statuses(100, () => get('/api/v2/orders/?page_size=1', 'ecommerce_worker'));
    expect(seen.filter((s) => s === 429)).toEqual([]);
    const number = ordersOf('learner1')[0]!.number;
    expect((await get(`/api/v2/orders/${number}/`, 'ecommerce_worker')).status).not.toBe(429);
  });

  // DEFAULT_THROTTLE_CLASSES is the plain UserRateThrottle, with the same `user` scope, hence the same
  // cache key (throttle_user_<id>): views without ServiceUserThrottle (refunds) share the one log and
  // exempt no one.
  it('shares one log across endpoints, and throttles service users where ServiceUserThrottle is absent', async () => {
    await statuses(75, () => get('/api/v2/orders/?page_size=1'));
    const refund = () =>
      call('/api/v2/refunds/', 'learner1', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await refund()).status).toBe(429);
    const worker = () =>
      call('/api/v2/refunds/', 'ecommerce_worker', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    const seen = await statuses(76, worker);
    expect(seen.slice(0, 75)).not.toContain(429);
    expect(seen[75]).toBe(429);
  });

  // APIView.initial: perform_authentication, then check_permissions, then check_throttles.
  it('answers 401 before throttling, and does not count it', async () => {
    await statuses(74, () => get('/api/v2/orders/?page_size=1'));
    expect(await statuses(10, () => get('/api/v2/orders/', null))).toEqual(Array(10).fill(401));
    expect((await get('/api/v2/orders/')).status).toBe(200);
    // Throttled now, yet a request without credentials still hears 401 first.
    expect((await get('/api/v2/orders/')).status).toBe(429);
    expect((await get('/api/v2/orders/', null)).status).toBe(401);
  });
});

// Django's CommonMiddleware with APPEND_SLASH (True in django/conf/global_settings.py; ecommerce keeps
// it) and DRF's DefaultRouter, whose routes all end in "/" (ecommerce/extensions/api/v2/urls.py).
describe('trailing slashes', () => {
  it('redirects a path without its slash (301) to the slashed one, query kept, before authentication', async () => {
    const listing = await get('/api/v2/orders?page=2&page_size=5', null);
    expect(listing.status).toBe(301);
    expect(listing.headers.get('location')).toBe('/api/v2/orders/?page=2&page_size=5');
    expect(listing.body).toBeUndefined();
    const number = ordersOf('learner1')[0]!.number;
    const one = await get(`/api/v2/orders/${number}`);
    expect(one.status).toBe(301);
    expect(one.headers.get('location')).toBe(`/api/v2/orders/${number}/`);
    expect((await get('/api/v2/nowhere')).status).toBe(404);
  });

  it('does not count a redirect against the throttle (no view ran)', async () => {
    await statuses(80, () => get('/api/v2/orders'));
    expect(await statuses(75, () => get('/api/v2/orders/?page_size=1'))).not.toContain(429);
  });
});

describe('order fields', () => {
  const money = (minor: number, currency: string) => minor / 10 ** currencyDigits(currency);
  const cents = (decimal: string | number) => Math.round(Number(decimal) * 100);

  // ecommerce/extensions/api/serializers.py OrderSerializer: get_discount returns str() of the FIRST
  // OrderDiscount's amount ('0' when none); get_basket_discounts lists every basket discount, its
  // `amount` a raw Decimal, which DRF's JSONEncoder writes as a number.
  it('names only the first discount in `discount`, and lists them all in basket_discounts', async () => {
    const twice = seed.orders.find((o) => o.username === 'learner1' && o.discounts?.length === 2)!;
    const { body } = await get(`/api/v2/orders/${twice.number}/`);
    const [first, second] = twice.discounts!;
    expect(body.discount).toBe(money(first!.amountMinor, twice.currency).toFixed(2));
    expect(body.basket_discounts).toEqual([
      expect.objectContaining({ amount: money(first!.amountMinor, twice.currency), code: first!.code }),
      expect.objectContaining({ amount: money(second!.amountMinor, twice.currency), code: null }),
    ]);
    const all = body.basket_discounts.reduce(
      (sum: number, d: { amount: number }) => sum + cents(d.amount),
      0,
    );
    expect(all).toBe(cents(body.total_before_discounts_incl_tax) - cents(body.total_excl_tax));
    expect(all).toBeGreaterThan(cents(body.discount));
  });

  it('sends discount "0" and no basket_discounts for an order without any', async () => {
    const plain = ordersOf('learner1').find((o) => o.discountMinor === 0 && o.voucherCode === null)!;
    const { body } = await get(`/api/v2/orders/${plain.number}/`);
    expect([body.discount, body.basket_discounts]).toEqual(['0', []]);
  });

  // django-oscar apps/order/utils.py OrderCreator.create_line_models: an order line's
  // line_price_excl_tax is the basket line's price *including discounts*; unit_price_excl_tax is the
  // undiscounted unit price (the serializer sends no line_price_before_discounts_*).
  it('sends line prices after the order’s discounts, adding up to total_excl_tax', async () => {
    const { body } = await get('/api/v2/orders/?page_size=100');
    for (const order of body.results) {
      const lines = order.lines.reduce(
        (sum: number, l: { line_price_excl_tax: string }) => sum + cents(l.line_price_excl_tax),
        0,
      );
      expect(lines).toBe(cents(order.total_excl_tax));
    }
    const discounted = body.results.find((o: { discount: string }) => cents(o.discount) > 0);
    const undiscounted = discounted.lines.reduce(
      (sum: number, l: { unit_price_excl_tax: string; quantity: number }) =>
        sum + cents(l.unit_price_excl_tax) * l.quantity,
      0,
    );
    expect(undiscounted).toBe(cents(discounted.total_before_discounts_incl_tax));
    expect(undiscounted).toBeGreaterThan(cents(discounted.total_excl_tax));
  });

  // django-oscar apps/order/abstract_models.py AbstractLine: unit_price_excl_tax is
  // DecimalField(..., blank=True, null=True), rendered as null.
  it('sends a null unit_price_excl_tax for a line whose unit price was not recorded', async () => {
    const order = seed.orders.find((o) => o.lines.some((l) => l.unitPriceUnrecorded))!;
    const { body } = await get(`/api/v2/orders/${order.number}/`, 'staff');
    const index = order.lines.findIndex((l) => l.unitPriceUnrecorded);
    expect(body.lines[index].unit_price_excl_tax).toBeNull();
    expect(body.lines[index].line_price_excl_tax).toMatch(/^\d+\.\d\d$/);
  });

  // ecommerce/extensions/order/utils.py OrderNumberGenerator: `{partner short code}-{basket id + 100000}`.
  it('numbers orders EDX-{basket id + 100000}', () => {
    expect(seed.orders.every((o) => /^EDX-\d+$/.test(o.number) && Number(o.number.slice(4)) > 100000)).toBe(
      true,
    );
  });
});
