import { signToken } from '../../../../../../platform/auth/signToken';
import { isConfigError } from '../../../../../../platform/config/ConfigError';
import { parseJwtEnv } from '../../../../../../platform/config/jwtEnv';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  type VendorSimulator,
} from '../../../../../../simulators/vendor/createVendorSimulator';
import type { VendorOrdersBackend } from '../../../../../../subgraphs/orders/backends/vendor/VendorOrdersBackend';
import type { CallContext } from '../../../../../../subgraphs/orders/port/OrdersBackend';
import type { Upstream } from '../../../../../../upstream/Upstream';
import { createVendorAdapter } from '../../../../../helpers/createVendorAdapter';
import { startTestStack } from '../../../../../helpers/startTestStack';

/**
 * The vendor adapter, over real HTTP against the vendor simulator, on what the real sources say
 * (docs/reference/vendor-commercetools.md): money, discounts, states, and how a learner's customer is
 * found. The fulfilment refusal is in vendorMutations.test.ts.
 */
const seed = createSeed();
const learner1 = seed.vendorOrders!.filter((o) => o.username === 'learner1');
const precise = learner1.find((o) => o.lines.some((l) => l.priceFractionDigits))!;
const discounted = learner1.find((o) => o.lines.some((l) => l.productDiscountMinor && l.lineDiscountMinor))!;
const cancelled = learner1.find((o) => o.status === 'Cancelled')!;

const as = (username: string, extra: { isStaff?: boolean; userId?: number } = {}): CallContext => ({
  identity: { username, isStaff: extra.isStaff ?? false, token: 'unused', ...extra },
  requestId: 'r',
});

let simulator: VendorSimulator;
let adapter: VendorOrdersBackend;
const upstreams: Upstream[] = [];

beforeEach(async () => {
  simulator = await createVendorSimulator({ orders: seed.vendorOrders! });
  adapter = createVendorAdapter(simulator.url, upstreams);
});
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
  await simulator.close();
});

/** The LMS user id the customer for `username` carries (`edx-lms_user_id`, a String field), read over HTTP. */
async function lmsUserIdOf(username: string, simulatorUrl = simulator.url): Promise<number> {
  const { clientId, clientSecret, projectKey } = VENDOR_DEV_PROJECT;
  const tokenResponse = await fetch(`${simulatorUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token } = (await tokenResponse.json()) as { access_token: string };
  const where = encodeURIComponent('custom(fields(edx-lms_user_name = :name))');
  const response = await fetch(
    `${simulatorUrl}/${projectKey}/customers?where=${where}&var.name=${username}`,
    {
      headers: { authorization: `Bearer ${access_token}` },
    },
  );
  const page = (await response.json()) as { results: { custom: { fields: Record<string, string> } }[] };
  return Number(page.results[0]!.custom.fields['edx-lms_user_id']);
}

describe('money and discounts (finding 7, 8)', () => {
  // HighPrecisionMoney.raml: centAmount stays in the currency's minor units; fractionDigits describe
  // preciseAmount. The adapter used to scale centAmount by them: 4900 with 4 digits showed "0.49".
  it('shows a high-precision price of centAmount 4900, fractionDigits 4, USD as "49.00"', async () => {
    const [order] = await adapter.getOrders([precise.number], as('learner1'));
    expect(order).toMatchObject({ number: precise.number });
    expect((order as { lines: { unitPrice: unknown }[] }).lines[0]!.unitPrice).toEqual({
      amount: '49.00',
      currency: 'USD',
    });
  });

  // CC's calculate_total_discount_on_order (commerce_coordinator/apps/commercetools/utils.py) adds the
  // discount on the total, line-targeted cart discounts and product discounts; the adapter read only
  // the first. Two units at $149.00: $10.00 product discount and $5.00 line discount each, $7.00 off the total.
  it('sums the total, line-targeted and product discounts, per unit: $37.00', async () => {
    const [order] = await adapter.getOrders([discounted.number], as('learner1'));
    expect(order).toMatchObject({
      discount: { amount: '37.00', currency: 'USD' },
      lines: expect.arrayContaining([
        expect.objectContaining({
          quantity: 2,
          unitPrice: { amount: '149.00', currency: 'USD' },
          linePrice: { amount: '268.00', currency: 'USD' },
        }),
      ]),
    });
  });
});

describe('states (finding 11)', () => {
  // OrderState.raml: Cancelled is one of the four states; it used to show as UNKNOWN.
  it('shows a Cancelled order as CANCELLED, in the history and by number', async () => {
    const [byNumber] = await adapter.getOrders([cancelled.number], as('learner1'));
    expect(byNumber).toMatchObject({ number: cancelled.number, status: 'CANCELLED' });
    const history = await adapter.listOrders({ username: 'learner1', page: 1, pageSize: 50 }, as('learner1'));
    expect(history.orders.find((o) => o.number === cancelled.number)?.status).toBe('CANCELLED');
    expect(history.orders.some((o) => o.status === 'UNKNOWN')).toBe(false);
  });
});

describe('finding the learner’s customer (finding 9)', () => {
  const learner3 = seed.vendorOrders!.filter((o) => o.username === 'learner3');
  const page = (username: string) => ({ username, page: 1, pageSize: 50 });

  // CC looks customers up by edx-lms_user_id first (clients.py get_customer_by_lms_user);
  // edx-lms_user_name is rewritten on retirement (pipeline.py, retire_customer_anonymize_fields).
  it('finds it by the token’s user id when edx-lms_user_name was rewritten; by name without user_id', async () => {
    const userId = await lmsUserIdOf('learner1');
    simulator.setCustomerField('learner1', 'edx-lms_user_name', 'ada_renamed');
    const history = await adapter.listOrders(page('ada'), as('ada', { userId }));
    expect(history.count).toBe(learner1.length);
    expect(history.orders.map((o) => o.number).sort()).toEqual(learner1.map((o) => o.number).sort());
    const [one] = await adapter.getOrders([learner1[0]!.number], as('ada', { userId }));
    expect(one).toMatchObject({ number: learner1[0]!.number });
    // A token without user_id is looked up by name: the rewritten name leads nowhere, learner3's does.
    expect((await adapter.listOrders(page('ada'), as('ada'))).count).toBe(0);
    expect((await adapter.listOrders(page('learner3'), as('learner3'))).count).toBe(learner3.length);
  });

  it('falls back to the name when no customer carries the id, unless the one named carries another id', async () => {
    const id = await lmsUserIdOf('learner3');
    const stranger = as('learner3', { userId: id + 100_000 });
    // learner3's customer carries another user's id: the name is someone else's now, so not taken.
    expect((await adapter.listOrders(page('learner3'), stranger)).count).toBe(0);
    expect(await adapter.getOrders([learner3[0]!.number], stranger)).toEqual([null]);
    // A customer never tagged with an id is taken by name.
    simulator.setCustomerField('learner3', 'edx-lms_user_id', undefined);
    expect((await adapter.listOrders(page('learner3'), stranger)).count).toBe(learner3.length);
  });

  it('through the gateway: a renamed learner’s token (user_id claim) shows their orders, CANCELLED included', async () => {
    const stack = await startTestStack({ ORDERS_BACKEND: 'vendor' });
    try {
      const vendor = stack.simulators.vendor!;
      const userId = await lmsUserIdOf('learner1', vendor.url);
      vendor.setCustomerField('learner1', 'edx-lms_user_name', 'ada_renamed');
      const token = signToken('ada', parseJwtEnv({}), { userId });
      const result = await stack.query<{ orderHistory: { count: number }; order: { status: string } }>(
        'query Q($n: ID!) { orderHistory(pageSize: 5) { count } order(number: $n) { status } }',
        { authorization: `JWT ${token}`, variables: { n: cancelled.number } },
      );
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data).toEqual({
        orderHistory: { count: learner1.length },
        order: { status: 'CANCELLED' },
      });
    } finally {
      await stack.stop();
    }
  });
});

describe('receipts (finding 11)', () => {
  // The vendor API has no receipt page (CC redirects to the payment provider's), so there is no
  // default for VENDOR_RECEIPT_BASE_URL: a stack on a real vendor URL without it does not start.
  it('stops start-up in vendor mode without VENDOR_RECEIPT_BASE_URL, naming it', async () => {
    const { projectKey, clientId, clientSecret } = VENDOR_DEV_PROJECT;
    const error = await startTestStack({
      ORDERS_BACKEND: 'vendor',
      VENDOR_API_URL: simulator.url,
      VENDOR_AUTH_URL: simulator.url,
      VENDOR_PROJECT_KEY: projectKey,
      VENDOR_CLIENT_ID: clientId,
      VENDOR_CLIENT_SECRET: clientSecret,
    }).then(
      (stack) => stack.stop().then(() => null),
      (e: unknown) => e,
    );
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain(
      'VENDOR_RECEIPT_BASE_URL="": required when ORDERS_BACKEND=vendor',
    );
  });
});
