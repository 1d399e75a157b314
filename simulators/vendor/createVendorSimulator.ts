import { createSimulator, type SimRequest, type SimResponse, type Simulator } from '../kit/createSimulator';
import type { SeedOrder } from '../seed/SeedOrder';
import { queryResources } from './queryResources';
import { toVendorCustomer } from './toVendorCustomer';
import { toVendorOrder } from './toVendorOrder';
import { vendorError, vendorErrorBody } from './vendorError';
import { VendorTokens } from './VendorTokens';
import { VendorWrites } from './VendorWrites';

/** What `npm start` and the tests use when no real vendor project is configured. */
export const VENDOR_DEV_PROJECT: Readonly<{ projectKey: string; clientId: string; clientSecret: string }> =
  Object.freeze({
    projectKey: 'switchyard-dev',
    clientId: 'switchyard-orders',
    clientSecret: 'switchyard-dev-vendor-secret',
  });

/**
 * The receipt base `npm start` and the tests give the orders subgraph (VENDOR_RECEIPT_BASE_URL) for
 * this simulator. commercetools has no receipt page, so neither does the simulator: like the legacy
 * simulator's `/checkout/receipt/`, the link is well-formed but not served.
 */
export function vendorReceiptBaseUrl(simulatorUrl: string): string {
  return `${simulatorUrl}/receipt/`;
}

/** The custom fields of CC's customer type `2u-user_information` (see toVendorCustomer). */
export type EdxCustomerField = 'edx-lms_user_id' | 'edx-lms_user_name';

export interface VendorSimulatorOptions {
  orders: readonly SeedOrder[];
  /** One customer per entry (a name twice gives two customers). @default each distinct username of `orders` */
  customers?: readonly string[];
  /** @default VENDOR_DEV_PROJECT.projectKey */
  projectKey?: string;
  /** @default VENDOR_DEV_PROJECT.clientId */
  clientId?: string;
  /** @default VENDOR_DEV_PROJECT.clientSecret */
  clientSecret?: string;
  /** Access token lifetime; commercetools' default. @default 172800 */
  tokenTtlSeconds?: number;
  /** Clock for token expiry, injectable so tests move time instead of waiting. @default Date.now */
  now?: () => number;
  port?: number;
}

export interface VendorSimulator extends Simulator {
  /** Invalidates every issued token at once; callers find out through a 401. */
  expireAllTokens(): void;
  /** Order updates: what they changed, `executions`, and the ConcurrentModification knob. */
  writes: VendorWrites;
  /**
   * Sets (or, with `undefined`, removes) an edX custom field of the customer(s) now carrying
   * `edx-lms_user_name` = `username`, as a customer update's `setCustomField` action does: a retirement
   * rewrites the name (Commerce Coordinator's `retire_customer_anonymize_fields`). The customer's
   * other field and its orders stay.
   */
  setCustomerField(username: string, field: EdxCustomerField, value: string | undefined): void;
}

/**
 * A commercetools-shaped commerce API (docs/reference/vendor-commercetools.md): OAuth2 client
 * credentials, order queries with predicates/sort/limit/offset, lookup by order number, customers by
 * their edX custom fields, and order updates (returns, state changes) under optimistic concurrency
 * (see VendorWrites).
 * Like the real one it authorises the API client, not a learner: whose orders a caller may see is
 * the adapter's business, so this simulator answers any valid token with any customer's orders.
 */
export async function createVendorSimulator(options: VendorSimulatorOptions): Promise<VendorSimulator> {
  const { projectKey, clientId, clientSecret } = { ...VENDOR_DEV_PROJECT, ...options };
  const now = options.now ?? Date.now;
  const tokens = new VendorTokens(options.tokenTtlSeconds ?? 172_800, now);
  const writes = new VendorWrites(now);
  const usernames = options.customers ?? [...new Set(options.orders.map((o) => o.username))];
  const customers = usernames.map((username, i) => toVendorCustomer(username, i));
  const customerIdOf = new Map<string, string>();
  for (const [i, username] of usernames.entries()) {
    if (!customerIdOf.has(username)) customerIdOf.set(username, customers[i]?.id as string);
  }
  // Every rendering goes through the writes' overlay, so reads see what updates changed.
  const render = (order: SeedOrder, expand?: ReadonlySet<string>) =>
    writes.overlay(toVendorOrder(order, customerIdOf.get(order.username), expand));
  const seedById = new Map<string, SeedOrder>();
  const indexById = new Map<string, number>();
  const orders = options.orders.map((order, i) => {
    const rendered = render(order);
    seedById.set(rendered.id as string, order);
    indexById.set(rendered.id as string, i);
    return rendered;
  });
  const byNumber = new Map(options.orders.map((o) => [o.number, o]));
  // Commerce Coordinator's later update (a return refunded): queries must see it too.
  writes.onChanged = (id) => {
    const order = seedById.get(id);
    if (order) orders[indexById.get(id)!] = render(order);
  };
  const scope = ['view_orders', 'manage_orders', 'view_customers'].map((s) => `${s}:${projectKey}`).join(' ');

  function token(request: SimRequest): SimResponse {
    const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
    const [id, secret] = Buffer.from(encoded ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (scheme?.toLowerCase() !== 'basic' || id !== clientId || secret !== clientSecret) {
      const message = 'Please provide valid client credentials using HTTP Basic Authentication.';
      return vendorError(401, 'invalid_client', message, { error: 'invalid_client' });
    }
    // grant_type may come as a form body or, as commercetools also accepts, in the query string.
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const grant = form.get('grant_type') ?? request.url.searchParams.get('grant_type');
    if (grant !== 'client_credentials') {
      const message = 'Invalid grant type; only client_credentials is supported here.';
      return vendorError(400, 'unsupported_grant_type', message, { error: 'unsupported_grant_type' });
    }
    const issued = tokens.issue();
    return {
      status: 200,
      body: {
        access_token: issued.accessToken,
        token_type: 'Bearer',
        expires_in: issued.expiresInSeconds,
        scope,
      },
    };
  }

  /** Runs `handle` for a valid bearer token on this project, else the commercetools 401/404. */
  const api =
    (handle: (request: SimRequest) => SimResponse) =>
    (request: SimRequest): SimResponse => {
      const [scheme, value] = (request.headers.authorization ?? '').split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !value || !tokens.isValid(value)) {
        const message = 'invalid_token';
        return vendorError(401, 'invalid_token', message, {
          error: 'invalid_token',
          error_description: message,
        });
      }
      if (request.params[0] !== projectKey) {
        return vendorError(404, 'ResourceNotFound', `The project '${request.params[0]}' was not found.`);
      }
      return handle(request);
    };

  const expandOf = (request: SimRequest) => new Set(request.url.searchParams.getAll('expand'));

  function queryOrders(request: SimRequest): SimResponse {
    const response = queryResources(orders, request.url.searchParams);
    if (response.status !== 200) return response;
    const page = response.body as { results: Record<string, unknown>[] };
    const expand = expandOf(request);
    const results = page.results.map((o) => render(seedById.get(o.id as string)!, expand));
    return { status: 200, body: { ...page, results } };
  }

  function orderByNumber(request: SimRequest): SimResponse {
    const number = request.params[1] ?? '';
    const order = byNumber.get(number);
    if (!order)
      return vendorError(404, 'ResourceNotFound', `The Resource with ID '${number}' was not found.`);
    return { status: 200, body: render(order, expandOf(request)) };
  }

  function updateOrder(request: SimRequest): SimResponse {
    const id = request.params[1] ?? '';
    const order = seedById.get(id);
    if (!order) return vendorError(404, 'ResourceNotFound', `The Resource with ID '${id}' was not found.`);
    const key = request.headers['idempotency-key'];
    const response = writes.update(render(order), request.body, typeof key === 'string' ? key : null);
    if (response.status !== 200) return response;
    // Queries filter and sort the stored renderings: refresh this one so predicates see the change.
    orders[indexById.get(id)!] = render(order);
    return { status: 200, body: render(order, expandOf(request)) };
  }

  const project = '([^/]+)';
  const simulator = await createSimulator(
    'vendor-commerce',
    [
      { method: 'POST', pattern: /^\/oauth\/token$/, name: 'oauth.token', handle: token },
      {
        method: 'GET',
        pattern: new RegExp(`^/${project}/orders$`),
        name: 'orders.query',
        handle: api(queryOrders),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/${project}/orders/order-number=([^/]+)$`),
        name: 'orders.byNumber',
        handle: api(orderByNumber),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^/${project}/orders/([^/]+)$`),
        name: 'orders.update',
        handle: api(updateOrder),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/${project}/customers$`),
        name: 'customers.query',
        handle: api((request) => queryResources(customers, request.url.searchParams)),
      },
    ],
    options.port,
    vendorErrorBody,
  );
  function setCustomerField(username: string, field: EdxCustomerField, value: string | undefined): void {
    for (const customer of customers) {
      const fields = (customer.custom as { fields: Record<string, string> }).fields;
      if (fields['edx-lms_user_name'] !== username) continue;
      if (value === undefined) delete fields[field];
      else fields[field] = value;
    }
  }

  return { ...simulator, expireAllTokens: () => tokens.expireAll(), writes, setCustomerField };
}
