import { createSeed } from '../../../simulators/seed/createSeed';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  type VendorSimulator,
} from '../../../simulators/vendor/createVendorSimulator';

const seed = createSeed();
const { projectKey, clientId, clientSecret } = VENDOR_DEV_PROJECT;
let simulator: VendorSimulator;
let now = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  simulator = await createVendorSimulator({
    orders: seed.vendorOrders ?? [],
    customers: ['learner1', 'learner3', 'twin', 'twin'],
    now: () => now,
  });
});
afterAll(() => simulator.close());

async function token(body = 'grant_type=client_credentials', secret = clientSecret) {
  const response = await fetch(`${simulator.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function get(path: string, accessToken?: string) {
  const response = await fetch(`${simulator.url}/${projectKey}${path}`, {
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('vendor simulator over HTTP', () => {
  it('issues client-credentials tokens to the right client only, from a form body', async () => {
    expect(await token()).toEqual({
      status: 200,
      body: {
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 172800,
        scope: expect.stringContaining(projectKey),
      },
    });
    expect(await token('grant_type=client_credentials', 'nope')).toMatchObject({
      status: 401,
      body: { statusCode: 401, error: 'invalid_client', errors: [{ code: 'invalid_client' }] },
    });
    expect((await token('grant_type=password')).status).toBe(400);
  });

  it('answers an expired, revoked or unknown token with the commercetools 401', async () => {
    const invalid = {
      status: 401,
      body: {
        statusCode: 401,
        message: expect.any(String),
        errors: [{ code: 'invalid_token', message: expect.any(String) }],
        error: 'invalid_token',
      },
    };
    expect(await get('/orders')).toMatchObject(invalid);
    const first = (await token()).body.access_token as string;
    expect((await get('/orders', first)).status).toBe(200);
    now += 172_800_000;
    expect(await get('/orders', first)).toMatchObject(invalid);
    const second = (await token()).body.access_token as string;
    simulator.expireAllTokens();
    expect(await get('/orders', second)).toMatchObject(invalid);
  });

  it('finds customers by their edX custom fields, and any customer’s orders for the service client', async () => {
    const access = (await token()).body.access_token as string;
    const where = (predicate: string) => `/customers?where=${encodeURIComponent(predicate)}`;
    const customers = await get(where('custom(fields(edx-lms_user_name="learner3"))'), access);
    expect(customers.body).toMatchObject({
      count: 1,
      total: 1,
      results: [{ custom: { fields: { 'edx-lms_user_name': 'learner3' } } }],
    });
    const byId = await get(
      where(
        `custom(fields(edx-lms_user_id="${customers.body.results[0].custom.fields['edx-lms_user_id']}"))`,
      ),
      access,
    );
    expect(byId.body.results[0].id).toBe(customers.body.results[0].id);
    expect((await get(where('custom(fields(edx-lms_user_name="twin"))'), access)).body.total).toBe(2);

    const customerId = customers.body.results[0].id as string;
    const orders = await get(
      `/orders?where=${encodeURIComponent(`customerId = "${customerId}"`)}&sort=createdAt%20desc&limit=500`,
      access,
    );
    expect(orders.body).toMatchObject({ count: 40, total: 40, offset: 0, limit: 500 });
    expect(orders.body.results.every((o: any) => o.customerId === customerId)).toBe(true);
  });

  it('looks an order up by number, with references expanded on request, or answers ResourceNotFound', async () => {
    const access = (await token()).body.access_token as string;
    const found = await get('/orders/order-number=2U-000001?expand=paymentInfo.payments%5B*%5D', access);
    expect(found.body).toMatchObject({
      orderNumber: '2U-000001',
      totalPrice: { type: 'centPrecision', currencyCode: 'USD', fractionDigits: 2 },
      paymentInfo: { payments: [{ typeId: 'payment', obj: { paymentMethodInfo: expect.any(Object) } }] },
    });
    expect(found.body.lineItems[0].variant.sku).toMatch(/^course-v1:/);
    expect(await get('/orders/order-number=2U-999999', access)).toMatchObject({
      status: 404,
      body: { statusCode: 404, errors: [{ code: 'ResourceNotFound' }] },
    });
  });

  it('answers injected failures and unknown routes in the commercetools error shape too', async () => {
    const access = (await token()).body.access_token as string;
    expect(await get('/no-such-endpoint', access)).toMatchObject({
      status: 404,
      body: { statusCode: 404, message: expect.any(String), errors: [{ code: 'ResourceNotFound' }] },
    });
    simulator.setFaults({ errorRate: 1, errorStatus: 503 });
    try {
      expect(await get('/orders', access)).toMatchObject({
        status: 503,
        body: { statusCode: 503, message: expect.any(String), errors: [{ code: 'General' }] },
      });
    } finally {
      simulator.clearFaults();
    }
  });
});

describe('scopes (commercetools-api-reference securedBy; InsufficientScopeError.raml)', () => {
  const scope = (name: string) => `${name}:${projectKey}`;
  const update = async (accessToken: string) => {
    const response = await fetch(`${simulator.url}/${projectKey}/orders/no-such-order`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1, actions: [] }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('grants every scope of the client without `scope`, exactly those asked for with it', async () => {
    const all = await token();
    expect(all.body.scope.split(' ')).toEqual(
      ['view_orders', 'manage_orders', 'view_customers', 'manage_customers'].map(scope),
    );
    const narrow = await token(`grant_type=client_credentials&scope=${scope('view_orders')}`);
    expect(narrow.body.scope).toBe(scope('view_orders'));
    expect(simulator.issuedScopes().at(-1)).toEqual([scope('view_orders')]);
  });

  it('refuses a scope the client does not have: 400 invalid_scope, no token', async () => {
    const refused = await token(`grant_type=client_credentials&scope=${scope('manage_project')}`);
    expect(refused).toMatchObject({
      status: 400,
      body: { statusCode: 400, error: 'invalid_scope', errors: [{ code: 'invalid_scope' }] },
    });
    expect(refused.body.access_token).toBeUndefined();
  });

  it('answers a call the token has no scope for with 403 insufficient_scope, before doing anything', async () => {
    const viewer = (await token(`grant_type=client_credentials&scope=${scope('view_orders')}`)).body
      .access_token as string;
    const message = `Insufficient scope. One of the following scopes is missing: ${scope('view_customers')}, ${scope('manage_customers')}, ${scope('manage_project')}`;
    expect(await get('/customers', viewer)).toEqual({
      status: 403,
      body: {
        statusCode: 403,
        message,
        errors: [{ code: 'insufficient_scope', message }],
        error: 'insufficient_scope',
        error_description: message,
      },
    });
    // An update needs manage_orders: refused as such, not looked up (no 404 for the unknown id).
    expect(await update(viewer)).toMatchObject({
      status: 403,
      body: { errors: [{ code: 'insufficient_scope' }] },
    });
    expect((await get('/orders', viewer)).status).toBe(200);
  });

  it('lets manage_orders read orders too (a manage scope implies its view scope)', async () => {
    const manager = (await token(`grant_type=client_credentials&scope=${scope('manage_orders')}`)).body
      .access_token as string;
    expect((await get('/orders', manager)).status).toBe(200);
    expect((await update(manager)).status).toBe(404);
  });
});
