import { createSeed } from '../../simulators/seed/createSeed';
import { currencyDigits } from '../../simulators/seed/SeedOrder';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  type VendorSimulator,
} from '../../simulators/vendor/createVendorSimulator';

/**
 * The vendor simulator is a claim about commercetools: each rule below is one the real API keeps, with
 * its source (commercetools/commercetools-api-reference `api-specs/api/types/…`, or
 * edx/commerce-coordinator), as listed in docs/reference/vendor-commercetools.md. The adapter is built
 * against this simulator, so a rule it drops is a bug the adapter's tests would no longer catch.
 */
const seed = createSeed();
const vendorOrders = seed.vendorOrders!;
const { projectKey, clientId, clientSecret } = VENDOR_DEV_PROJECT;
let simulator: VendorSimulator;
let accessToken: string;

type Json = Record<string, any>;

beforeAll(async () => {
  simulator = await createVendorSimulator({ orders: vendorOrders });
  const response = await fetch(`${simulator.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  accessToken = ((await response.json()) as { access_token: string }).access_token;
});
afterAll(() => simulator.close());

async function api(path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${simulator.url}/${projectKey}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const order = async (number: string): Promise<Json> => (await api(`/orders/order-number=${number}`)).body;
const allOrders = async (): Promise<Json[]> => (await api('/orders?limit=500')).body.results as Json[];
const update = (current: Json, actions: unknown[]) =>
  api(`/orders/${current.id as string}`, { version: current.version, actions });
const seeded = (pick: (o: (typeof vendorOrders)[number]) => boolean) => vendorOrders.filter(pick);
const invalidInput = {
  status: 400,
  body: {
    statusCode: 400,
    message: expect.any(String),
    errors: [{ code: 'InvalidInput', message: expect.any(String) }],
  },
};

describe('orders: states and timestamps', () => {
  // Order.raml: completedAt "Present only on an Order created using Order Import"; OrderImportDraft.raml
  // makes it user-defined there, independent of createdAt (which is the import).
  it('has completedAt only on imported orders, where createdAt (the import) comes after it', async () => {
    const orders = await allOrders();
    expect(orders).toHaveLength(vendorOrders.length);
    const imported = new Set(seeded((o) => o.imported === true).map((o) => o.number));
    expect(imported.size).toBeGreaterThan(0);
    for (const o of orders) {
      if (imported.has(o.orderNumber)) {
        expect(Date.parse(o.createdAt)).toBeGreaterThan(Date.parse(o.completedAt));
      } else {
        expect(o).not.toHaveProperty('completedAt');
      }
    }
    // A Complete order made by checkout has no completedAt either.
    expect(orders.some((o) => o.orderState === 'Complete' && !('completedAt' in o))).toBe(true);
  });

  // OrderChangeOrderStateAction.raml: changeOrderState sets orderState (OrderStateChanged) and nothing
  // else: it enrolls nobody and sets no completedAt. OrderState.raml: Open | Confirmed | Complete |
  // Cancelled, any other value is invalid input.
  it('changeOrderState only sets orderState, to one of the four OrderStates: it never touches completedAt', async () => {
    const native = await order(seeded((o) => o.status === 'Open' && !o.imported)[0]!.number);
    const imported = await order(seeded((o) => o.status === 'Open' && o.imported === true)[0]!.number);
    expect(await update(native, [{ action: 'changeOrderState', orderState: 'Fulfilled' }])).toMatchObject(
      invalidInput,
    );
    expect((await order(native.orderNumber)).version).toBe(native.version);
    for (const before of [native, imported]) {
      const result = await update(before, [{ action: 'changeOrderState', orderState: 'Complete' }]);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ orderState: 'Complete', version: before.version + 1 });
      expect(result.body.completedAt).toBe(before.completedAt);
      expect(result.body.createdAt).toBe(before.createdAt);
    }
    expect(native).not.toHaveProperty('completedAt');
    const states = new Set((await allOrders()).map((o) => o.orderState as string));
    expect([...states].sort()).toEqual(['Cancelled', 'Complete', 'Confirmed', 'Open']);
  });
});

describe('orders: returns', () => {
  // ReturnItemDraft.raml: shipmentState "Can either be `Advised` or `Returned` only" (the other
  // ReturnShipmentState values, BackInStock and Unusable, are later states of an existing item).
  it.each(['BackInStock', 'Unusable', 'Shipped', undefined])(
    'refuses a return item drafted as %s with 400 InvalidInput, in commercetools’ error shape, applying nothing',
    async (shipmentState) => {
      const before = await order(
        seeded((o) => o.status === 'Complete' && o.username === 'learner3')[0]!.number,
      );
      const executions = { ...simulator.writes.executions };
      const item = { quantity: 1, lineItemId: before.lineItems[0].id, shipmentState };
      const result = await update(before, [{ action: 'addReturnInfo', items: [item] }]);
      expect(result).toMatchObject(invalidInput);
      expect(result.body.message).toBe(result.body.errors[0].message);
      const after = await order(before.orderNumber);
      expect(after).toMatchObject({ version: before.version, returnInfo: before.returnInfo });
      expect(simulator.writes.executions).toEqual(executions);
    },
  );

  // ReturnShipmentState.raml: Returned is the initial state of a refundable item (ReturnPaymentState
  // Initial), Advised of a non-refundable one (NonRefundable).
  it('accepts Returned (refundable, paymentState Initial) and Advised (NonRefundable)', async () => {
    let current = await order(seeded((o) => o.status === 'Complete' && o.username === 'learner3')[1]!.number);
    for (const [shipmentState, paymentState] of [
      ['Returned', 'Initial'],
      ['Advised', 'NonRefundable'],
    ]) {
      const item = { quantity: 1, lineItemId: current.lineItems[0].id, shipmentState };
      const result = await update(current, [{ action: 'addReturnInfo', items: [item] }]);
      expect(result.status).toBe(200);
      expect(result.body.returnInfo.at(-1).items).toEqual([
        expect.objectContaining({ shipmentState, paymentState, type: 'LineItemReturnItem' }),
      ]);
      // Commerce Coordinator refunds a Returned item with an update of its own: read the new version.
      await simulator.writes.coordinator.idle();
      current = await order(current.orderNumber);
    }
  });
});

describe('money', () => {
  const moneyIn = (o: Json): Json[] => [
    o.totalPrice,
    ...(o.discountOnTotalPrice ? [o.discountOnTotalPrice.discountedAmount] : []),
    ...(o.lineItems as Json[]).flatMap((line) => [line.totalPrice, line.price.value]),
  ];

  // Money.raml: centAmount is always "in the smallest indivisible unit of a currency".
  // CentPrecisionMoney.raml: its fractionDigits are "the number of default fraction digits for the
  // given currency, like 2 for EUR or 0 for JPY"; Order and LineItem totalPrice are CentPrecisionMoney.
  // HighPrecisionMoney.raml / TypedMoney.raml: preciseAmount is in 1/10^fractionDigits, and those
  // fractionDigits are greater than the currency's default.
  it('keeps centAmount in minor units: cent precision with the currency’s digits, high precision describing preciseAmount', async () => {
    const orders = await allOrders();
    const money = orders.flatMap(moneyIn);
    for (const m of money.filter((x) => x.type === 'centPrecision')) {
      expect(m.fractionDigits).toBe(currencyDigits(m.currencyCode as string));
    }
    expect(money.some((m) => m.currencyCode === 'JPY' && m.fractionDigits === 0)).toBe(true);
    const totals = orders.flatMap((o) => [o.totalPrice, ...(o.lineItems as Json[]).map((l) => l.totalPrice)]);
    expect(totals.every((m) => m.type === 'centPrecision')).toBe(true);
    const highPrecision = money.filter((m) => m.type === 'highPrecision');
    expect(highPrecision.length).toBeGreaterThan(0);
    for (const m of highPrecision) {
      const digits = currencyDigits(m.currencyCode as string);
      expect(m.fractionDigits).toBeGreaterThan(digits);
      expect(Math.round(m.preciseAmount / 10 ** (m.fractionDigits - digits))).toBe(m.centAmount);
    }
    expect(highPrecision).toContainEqual({
      type: 'highPrecision',
      currencyCode: 'USD',
      centAmount: 4900,
      preciseAmount: 490000,
      fractionDigits: 4,
    });
  });
});

describe('discounts', () => {
  // Price.raml / DiscountedPrice.raml: a product discount sets price.discounted {value, discount};
  // DiscountedLineItemPriceForQuantity.raml: a line-targeted cart discount gives, per group of units,
  // the discounted unit price and each discount's amount off one unit; LineItem.raml: totalPrice is the
  // (discounted) unit price times quantity; Order.raml: totalPrice is the lines' sum, less the
  // discount on the total (DiscountOnTotalPrice.raml).
  it('states every discount where commercetools does, and the totals add up', async () => {
    const orders = await allOrders();
    const lines = orders.flatMap((o) => o.lineItems as Json[]);
    expect(lines.some((l) => l.price.discounted)).toBe(true);
    expect(lines.some((l) => (l.discountedPricePerQuantity as Json[]).length > 0)).toBe(true);
    expect(orders.some((o) => o.discountOnTotalPrice)).toBe(true);
    for (const o of orders) {
      let sum = 0;
      for (const line of o.lineItems as Json[]) {
        const unit = (line.price.discounted ?? line.price).value.centAmount as number;
        const portions = line.discountedPricePerQuantity as Json[];
        const expected = portions.length
          ? portions.reduce((s, p) => s + p.quantity * p.discountedPrice.value.centAmount, 0)
          : unit * line.quantity;
        for (const p of portions) {
          const off = (p.discountedPrice.includedDiscounts as Json[]).reduce(
            (s, d) => s + d.discountedAmount.centAmount,
            0,
          );
          expect(p.discountedPrice.value.centAmount).toBe(unit - off);
          expect(p.discountedPrice.includedDiscounts[0].discount.typeId).toBe('cart-discount');
        }
        if (line.price.discounted) expect(line.price.discounted.discount.typeId).toBe('product-discount');
        expect(line.totalPrice.centAmount).toBe(expected);
        sum += expected;
      }
      expect(o.totalPrice.centAmount).toBe(sum - (o.discountOnTotalPrice?.discountedAmount.centAmount ?? 0));
    }
  });
});

describe('customers', () => {
  const byField = async (field: string, value: string) =>
    (
      await api(
        `/customers?where=${encodeURIComponent(`custom(fields(${field} = :v))`)}&var.v=${encodeURIComponent(value)}`,
      )
    ).body.results as Json[];

  // edx/commerce-coordinator catalog_info/foundational_types.py: the customer custom type
  // `2u-user_information` has String fields edx-lms_user_id and edx-lms_user_name; pipeline.py's
  // retirement rewrites the name (clients.py retire_customer_anonymize_fields) and keeps the id.
  it('carries the LMS user id and username as String custom fields; a rename rewrites the name only', async () => {
    const [customer] = await byField('edx-lms_user_name', 'learner1');
    const fields = customer!.custom.fields as Record<string, unknown>;
    expect(customer!.custom.type).toMatchObject({ typeId: 'type' });
    expect(typeof fields['edx-lms_user_id']).toBe('string');
    simulator.setCustomerField('learner1', 'edx-lms_user_name', 'retired_user_1b2c3d');
    expect(await byField('edx-lms_user_name', 'learner1')).toEqual([]);
    const [renamed] = await byField('edx-lms_user_id', fields['edx-lms_user_id'] as string);
    expect(renamed).toMatchObject({
      id: customer!.id,
      custom: { fields: { 'edx-lms_user_name': 'retired_user_1b2c3d' } },
    });
  });
});
