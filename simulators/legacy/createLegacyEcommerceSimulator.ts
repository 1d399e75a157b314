import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { authenticate, isResponse } from '../kit/authenticate';
import { createSimulator, type SimRequest, type SimResponse, type Simulator } from '../kit/createSimulator';
import type { Seed } from '../seed/createSeed';
import type { SeedOrder } from '../seed/SeedOrder';
import { LegacyWrites } from './legacyWrites';
import { toLegacyOrder } from './toLegacyOrder';

export interface LegacyEcommerceSimulatorOptions {
  seed: Seed;
  jwt: JwtOptions;
  port?: number;
  /**
   * Order of orders placed at the same instant. The real API sorts by `-date_placed` alone and
   * promises nothing among ties (in practice the database's row order, usually by id, i.e. number);
   * `number-desc` is the opposite of the merged history's tie-break, for tests that must not depend on
   * the API's tie order. @default 'number-asc'
   */
  tieOrder?: 'number-asc' | 'number-desc';
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 10_000;

/**
 * The legacy Open edX ecommerce orders API (upstream-apis.md §1): DRF page-number pagination,
 * owner-or-staff permissions, and its status codes (403 for another username, 404 for another's order).
 */
export interface LegacyEcommerceSimulator extends Simulator {
  /** Refund records and state-changing call counts. */
  writes: LegacyWrites;
}

export async function createLegacyEcommerceSimulator(
  options: LegacyEcommerceSimulatorOptions,
): Promise<LegacyEcommerceSimulator> {
  const byUser = new Map<string, SeedOrder[]>();
  const byNumber = new Map<string, SeedOrder>();
  // A private copy: writes (fulfilment) change orders, and other simulators may share the seed.
  const tie = options.tieOrder === 'number-desc' ? -1 : 1;
  const all = structuredClone(options.seed.orders).sort(
    (a, b) => Date.parse(b.placedAt) - Date.parse(a.placedAt) || (a.number < b.number ? -tie : tie),
  );
  for (const order of all) {
    byNumber.set(order.number, order);
    const list = byUser.get(order.username) ?? [];
    list.push(order);
    byUser.set(order.username, list);
  }
  let baseUrl = '';

  function list(request: SimRequest): SimResponse {
    const who = authenticate(request.headers, options.jwt);
    if (isResponse(who)) return who;
    const username = request.url.searchParams.get('username');
    if (!who.isStaff && username !== null && username !== who.username) {
      return { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
    }
    const target = who.isStaff ? username : who.username;
    const orders = target === null ? all : (byUser.get(target) ?? []);
    const page = Number(request.url.searchParams.get('page') ?? '1');
    const rawSize = Number(request.url.searchParams.get('page_size') ?? DEFAULT_PAGE_SIZE);
    const pageSize =
      Number.isInteger(rawSize) && rawSize > 0 ? Math.min(rawSize, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    const pages = Math.max(1, Math.ceil(orders.length / pageSize));
    if (!Number.isInteger(page) || page < 1 || page > pages)
      return { status: 404, body: { detail: 'Invalid page.' } };
    const link = (p: number) => {
      const url = new URL(`${baseUrl}/api/v2/orders/`);
      url.searchParams.set('page', String(p));
      url.searchParams.set('page_size', String(pageSize));
      if (username !== null) url.searchParams.set('username', username);
      return url.toString();
    };
    return {
      status: 200,
      body: {
        count: orders.length,
        next: page < pages ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results: orders.slice((page - 1) * pageSize, page * pageSize).map((o) => toLegacyOrder(o, baseUrl)),
      },
    };
  }

  function detail(request: SimRequest): SimResponse {
    const who = authenticate(request.headers, options.jwt);
    if (isResponse(who)) return who;
    const order = byNumber.get(request.params[0] ?? '');
    // Not in the caller's queryset looks exactly like not existing: 404 either way.
    if (!order || (!who.isStaff && order.username !== who.username))
      return { status: 404, body: { detail: 'Not found.' } };
    return { status: 200, body: toLegacyOrder(order, baseUrl) };
  }

  const writes = new LegacyWrites(byNumber);
  const authenticated =
    (
      handler: (
        who: Exclude<ReturnType<typeof authenticate>, SimResponse>,
        request: SimRequest,
      ) => SimResponse,
    ) =>
    (request: SimRequest) => {
      const who = authenticate(request.headers, options.jwt);
      return isResponse(who) ? who : handler(who, request);
    };

  const simulator = await createSimulator(
    'legacy-ecommerce',
    [
      { method: 'GET', pattern: /^\/api\/v2\/orders\/?$/, name: 'orders.list', handle: list },
      { method: 'GET', pattern: /^\/api\/v2\/orders\/([^/]+)\/?$/, name: 'orders.detail', handle: detail },
      {
        method: 'PUT',
        pattern: /^\/api\/v2\/orders\/([^/]+)\/fulfill\/?$/,
        name: 'orders.fulfill',
        handle: authenticated((who, r) =>
          writes.fulfill(who, r.params[0] ?? '', (o) => toLegacyOrder(o, baseUrl)),
        ),
      },
      {
        method: 'POST',
        pattern: /^\/api\/v2\/refunds\/?$/,
        name: 'refunds.create',
        handle: async (r) =>
          writes.maybeHold(await authenticated((who, req) => writes.createRefund(who, req))(r)),
      },
      {
        method: 'GET',
        pattern: /^\/api\/v2\/refunds\/?$/,
        name: 'refunds.list',
        handle: authenticated((who, r) => writes.listRefunds(who, r)),
      },
    ],
    options.port,
  );
  baseUrl = simulator.url;
  return Object.assign(simulator, { writes });
}
