import { createSimulator, type SimRequest, type SimResponse, type Simulator } from '../kit/createSimulator';
import { lmsUserIdOf } from '../seed/lmsUserIdOf';
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
  /**
   * The scopes of the API client, each `<scope>:<projectKey>`: what a token request without `scope`
   * gets, and the most one with `scope` may ask for. @default devClientScopes(projectKey)
   */
  clientScopes?: readonly string[];
  /** Access token lifetime; commercetools' default. @default 172800 */
  tokenTtlSeconds?: number;
  /** Clock for token expiry, injectable so tests move time instead of waiting. @default Date.now */
  now?: () => number;
  port?: number;
}

export interface VendorSimulator extends Simulator {
  /** Invalidates every issued token at once; callers find out through a 401. */
  expireAllTokens(): void;
  /** The scopes of each token issued so far, oldest first. */
  issuedScopes(): readonly (readonly string[])[];
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
 * The dev API client's scopes: what the adapter needs (vendorScopesFor) and one more it does not,
 * `manage_customers`, as an API client made from a broader template has: a token request that
 * names no scopes shows it.
 */
export function devClientScopes(projectKey: string): readonly string[] {
  return ['view_orders', 'manage_orders', 'view_customers', 'manage_customers'].map(
    (s) => `${s}:${projectKey}`,
  );
}

/**
 * Whether `scopes` allow an endpoint secured by `needed` (its `securedBy` in commercetools-api-reference):
 * the scope itself, or one that implies it — a `manage_` scope implies its `view_` one (release notes,
 * 29 June 2017), and `manage_project` grants every API of the project (docs.commercetools.com/api/scopes).
 */
function grantingScopes(needed: string, projectKey: string): string[] {
  const [name] = needed.split(':');
  const implying = name?.startsWith('view_') ? [`manage_${name.slice('view_'.length)}:${projectKey}`] : [];
  return [needed, ...implying, `manage_project:${projectKey}`];
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
  // The first customer of a name is that LMS user; a second one with the same name (a test's twin)
  // belongs to another user.
  const customers = usernames.map((username, i) =>
    toVendorCustomer(
      username,
      i,
      lmsUserIdOf(usernames.indexOf(username) === i ? username : `${username}#${i}`),
    ),
  );
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
  const clientScopes = options.clientScopes ?? devClientScopes(projectKey);
  const issuedScopes: (readonly string[])[] = [];
  // Commerce Coordinator's later update (a return refunded): queries must see it too.
  writes.onChanged = (id) => {
    const order = seedById.get(id);
    if (order) orders[indexById.get(id)!] = render(order);
  };

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
    // `scope` narrows the token to what is asked; without it the token gets every scope of the client
    // (docs.commercetools.com/api/scopes). Asking for one the client lacks is refused (RFC 6749 §5.2).
    const asked = form.get('scope') ?? request.url.searchParams.get('scope');
    const scopes = asked === null ? clientScopes : asked.split(/\s+/).filter(Boolean);
    const illegal = scopes.filter((s) => !clientScopes.includes(s));
    if (illegal.length > 0) {
      const message = `Illegal scope: ${illegal.join(' ')}`;
      return vendorError(400, 'invalid_scope', message, {
        error: 'invalid_scope',
        error_description: message,
      });
    }
    const issued = tokens.issue(scopes);
    issuedScopes.push(scopes);
    return {
      status: 200,
      body: {
        access_token: issued.accessToken,
        token_type: 'Bearer',
        expires_in: issued.expiresInSeconds,
        scope: scopes.join(' '),
      },
    };
  }

  /**
   * Runs `handle` for a valid bearer token on this project that holds `scope` (or one implying it),
   * else the commercetools 401, 404 or 403 `insufficient_scope`.
   */
  const api =
    (scope: string, handle: (request: SimRequest) => SimResponse) =>
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
      const needed = `${scope}:${projectKey}`;
      const granting = grantingScopes(needed, projectKey);
      if (!tokens.scopesOf(value).some((s) => granting.includes(s))) {
        // InsufficientScopeError.raml's code and message; the OAuth `error` pair as on a 401.
        const message = `Insufficient scope. One of the following scopes is missing: ${granting.join(', ')}`;
        return vendorError(403, 'insufficient_scope', message, {
          error: 'insufficient_scope',
          error_description: message,
        });
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
        handle: api('view_orders', queryOrders),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/${project}/orders/order-number=([^/]+)$`),
        name: 'orders.byNumber',
        handle: api('view_orders', orderByNumber),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^/${project}/orders/([^/]+)$`),
        name: 'orders.update',
        handle: api('manage_orders', updateOrder),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/${project}/customers$`),
        name: 'customers.query',
        handle: api('view_customers', (request) => queryResources(customers, request.url.searchParams)),
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

  return {
    ...simulator,
    expireAllTokens: () => tokens.expireAll(),
    issuedScopes: () => [...issuedScopes],
    writes,
    setCustomerField,
  };
}
