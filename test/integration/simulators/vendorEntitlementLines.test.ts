import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  type VendorSimulator,
} from '../../../simulators/vendor/createVendorSimulator';
import {
  vendorCourseUuidOf,
  vendorEntitlementOrder,
  vendorEntitlementSeed,
  vendorEntitlementUuidOf,
} from '../../helpers/vendorEntitlementSeed';

// The vendor simulator's entitlement lines as Commerce Coordinator's deployment has them, and CC's
// reaction to their return (docs/reference/vendor-commercetools.md, "Entitlements"), over HTTP.
const seed = vendorEntitlementSeed();
const { projectKey, clientId, clientSecret } = VENDOR_DEV_PROJECT;
let simulator: VendorSimulator;
let accessToken = '';

beforeAll(async () => {
  simulator = await createVendorSimulator({ orders: seed.vendorOrders ?? [], ...VENDOR_DEV_PROJECT });
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

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${simulator.url}/${projectKey}${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}
const order = (number: string, expand = '') =>
  call('GET', `/orders/order-number=${number}${expand ? `?expand=${encodeURIComponent(expand)}` : ''}`);

it('renders an entitlement line: product type key when expanded, SKU the course uuid, the LMS uuid once fulfilled', async () => {
  const plain = await order(vendorEntitlementOrder('open'));
  expect(plain.status).toBe(200);
  const [line] = plain.body.lineItems;
  expect(line.productType).toEqual({ typeId: 'product-type', id: expect.any(String) });
  expect(line.variant.sku).toBe(vendorCourseUuidOf('open'));
  expect(line.custom.fields).toEqual({ edxLMSEntitlementId: vendorEntitlementUuidOf('open') });
  const expanded = await order(vendorEntitlementOrder('open'), 'lineItems[*].productType');
  expect(expanded.body.lineItems[0].productType.obj.key).toBe('edx_course_entitlement');
  const unfulfilled = await order(vendorEntitlementOrder('unfulfilled'));
  expect(unfulfilled.body.lineItems[0]).not.toHaveProperty('custom');
  // A seat beside it stays a seat, without the field.
  const mixed = await order(vendorEntitlementOrder('deferred'), 'lineItems[*].productType');
  expect(mixed.body.lineItems[0].productType.obj.key).toBe('edx_course');
  expect(mixed.body.lineItems[0]).not.toHaveProperty('custom');
});

it('CC refunds a returned entitlement line and revokes its entitlement, once per return item', async () => {
  const revoked: string[] = [];
  simulator.writes.coordinator.onEntitlementRevoked = (uuid) => revoked.push(uuid);
  const current = (await order(vendorEntitlementOrder('locked'))).body;
  const update = {
    version: current.version,
    actions: [
      {
        action: 'addReturnInfo',
        items: [{ quantity: 1, lineItemId: current.lineItems[0].id, shipmentState: 'Returned' }],
      },
    ],
  };
  expect((await call('POST', `/orders/${current.id}`, update)).status).toBe(200);
  await simulator.writes.coordinator.idle();
  expect(revoked).toEqual([vendorEntitlementUuidOf('locked')]);
  const after = (await order(vendorEntitlementOrder('locked'))).body;
  expect(after.returnInfo[0].items[0].paymentState).toBe('Refunded');
  // Commerce Coordinator's own update moved the version; a stale replay is a 409 and revokes nothing.
  expect((await call('POST', `/orders/${current.id}`, update)).status).toBe(409);
  await simulator.writes.coordinator.idle();
  expect(revoked).toHaveLength(1);
});
