import jwt from 'jsonwebtoken';
import type { Identity } from '../../platform/auth/Identity';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { authenticate, isResponse } from '../kit/authenticate';
import { createSimulator, type SimRequest, type SimResponse, type Simulator } from '../kit/createSimulator';
import { parseThrottleRate, throttledResponse, UserRateThrottle } from '../kit/UserRateThrottle';
import type { Seed } from '../seed/createSeed';
import type { SeedOrder } from '../seed/SeedOrder';
import { LegacyWrites } from './LegacyWrites';
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
  /** Users holding `order.change_order` (fulfil). @default DEFAULT_CHANGE_ORDER_USERS */
  changeOrderUsers?: readonly string[];
  /**
   * The per-user throttle, written as DRF's DEFAULT_THROTTLE_RATES writes it. The service's own is
   * LEGACY_THROTTLE_RATE; load tests, whose few learners send thousands of requests a minute, raise it
   * (LEGACY_SIMULATOR_THROTTLE_RATE). @default LEGACY_THROTTLE_RATE
   */
  throttleRate?: string;
  /** Clock of the throttle (ms), injectable so tests move time instead of waiting. @default Date.now */
  now?: () => number;
}

/** `DEFAULT_THROTTLE_RATES = {'user': '75/minute'}` (ecommerce/settings/base.py). */
export const LEGACY_THROTTLE_RATE = '75/minute';

/**
 * The raised rate of load tests and test stacks, whose few learners send thousands of requests a
 * minute: far above what they reach, so the throttle is still kept but never refuses.
 */
export const LOAD_TEST_THROTTLE_RATE = '1000000/minute';

/**
 * Never throttled on the orders endpoints (ServiceUserThrottle, ecommerce/extensions/api/throttles.py:
 * the ECOMMERCE_SERVICE_WORKER, PROSPECTUS_WORKER, DISCOVERY_WORKER and SUBSCRIPTIONS_SERVICE_WORKER
 * usernames of ecommerce/settings/base.py). Staff are throttled like anyone else.
 */
export const THROTTLE_EXEMPT_SERVICE_USERS: ReadonlySet<string> = new Set([
  'ecommerce_worker',
  'prospectus_worker',
  'discovery_worker',
  'subscriptions_worker',
]);

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 10_000;

/**
 * The legacy Open edX ecommerce orders API (docs/reference/legacy-ecommerce.md): DRF page-number
 * pagination, owner-or-staff permissions, its status codes (403 for another username, 404 for
 * another's order), its per-user throttle (429 with Retry-After) and Django's APPEND_SLASH (301).
 */
export interface LegacyEcommerceSimulator extends Simulator {
  /** Refund records and state-changing call counts. */
  writes: LegacyWrites;
  /**
   * A signing-key rotation as this service sees it: the LMS signs with a new key and the old one is
   * dropped from the keys this service trusts, so every JWT issued (`iat`) before `epochSeconds` fails
   * verification here — 401, before any view runs, like any bad signature — the service user's cached
   * token and a learner's alike. Tokens issued since are accepted. `null` trusts every token again.
   */
  refuseTokensIssuedBefore(epochSeconds: number | null): void;
  /** A purchase made now (tests): the order joins its user's history, newest first. */
  placeOrder(order: SeedOrder): void;
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

  function list(who: Identity, request: SimRequest): SimResponse {
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

  function detail(who: Identity, request: SimRequest): SimResponse {
    const order = byNumber.get(request.params[0] ?? '');
    // Not in the caller's queryset looks exactly like not existing: 404 either way.
    if (!order || (!who.isStaff && order.username !== who.username))
      return { status: 404, body: { detail: 'Not found.' } };
    return { status: 200, body: toLegacyOrder(order, baseUrl) };
  }

  // refuseTokensIssuedBefore: the rotation's instant, in the `iat` unit (seconds).
  let trustedFrom: number | null = null;
  const signedWithRetiredKey = (token: string): boolean => {
    if (trustedFrom === null) return false;
    const iat = (jwt.decode(token, { json: true }) ?? {}).iat;
    return typeof iat !== 'number' || iat < trustedFrom;
  };

  const writes = new LegacyWrites(
    byNumber,
    options.changeOrderUsers ? new Set(options.changeOrderUsers) : undefined,
  );
  // One log per user for the whole API: UserRateThrottle and ServiceUserThrottle share the `user`
  // scope, so their cache key (`throttle_user_<pk>`) is the same.
  const throttle = new UserRateThrottle(
    parseThrottleRate(options.throttleRate ?? LEGACY_THROTTLE_RATE),
    options.now,
  );
  /**
   * DRF's view pipeline (APIView.initial): authentication, then the throttle, then the view. The
   * orders viewset's ServiceUserThrottle lets the service users through; everything else has the
   * default UserRateThrottle (DEFAULT_THROTTLE_CLASSES), which exempts no one. Permission checks run
   * between the two in DRF; here the views make them, so a throttled caller who also lacks a
   * permission hears 429 where the service would say 403 first.
   */
  const authenticated =
    (
      handler: (who: Identity, request: SimRequest) => SimResponse | Promise<SimResponse>,
      scope: 'orders' | 'default',
    ) =>
    async (request: SimRequest) => {
      const who = await authenticate(request.headers, options.jwt);
      if (isResponse(who)) return who;
      if (signedWithRetiredKey(who.token)) return { status: 401, body: { detail: 'Error decoding token.' } };
      if (scope !== 'orders' || !THROTTLE_EXEMPT_SERVICE_USERS.has(who.username)) {
        const decision = throttle.check(who.username);
        if (!decision.allowed) return throttledResponse(decision.waitSeconds);
      }
      return handler(who, request);
    };

  const simulator = await createSimulator(
    'legacy-ecommerce',
    [
      // DRF's router: every route ends in a slash (trailing_slash=True); APPEND_SLASH redirects the rest.
      {
        method: 'GET',
        pattern: /^\/api\/v2\/orders\/$/,
        name: 'orders.list',
        handle: authenticated(list, 'orders'),
      },
      {
        method: 'GET',
        pattern: /^\/api\/v2\/orders\/([^/]+)\/$/,
        name: 'orders.detail',
        handle: authenticated(detail, 'orders'),
      },
      {
        method: 'PUT',
        pattern: /^\/api\/v2\/orders\/([^/]+)\/fulfill\/$/,
        name: 'orders.fulfill',
        handle: authenticated(
          (who, r) => writes.fulfill(who, r.params[0] ?? '', (o) => toLegacyOrder(o, baseUrl)),
          'orders',
        ),
      },
      {
        method: 'POST',
        pattern: /^\/api\/v2\/refunds\/$/,
        name: 'refunds.create',
        handle: async (r) =>
          writes.maybeHold(await authenticated((who, req) => writes.createRefund(who, req), 'default')(r)),
      },
      {
        method: 'PUT',
        pattern: /^\/api\/v2\/refunds\/([^/]+)\/process\/$/,
        name: 'refunds.process',
        handle: authenticated((who, r) => writes.process(who, r), 'default'),
      },
      {
        method: 'GET',
        pattern: /^\/api\/v2\/refunds\/$/,
        name: 'refunds.list',
        handle: authenticated(() => writes.listRefunds(), 'default'),
      },
    ],
    options.port,
    undefined,
    { appendSlash: true },
  );
  baseUrl = simulator.url;
  const placeOrder = (order: SeedOrder) => {
    const copy = structuredClone(order);
    byNumber.set(copy.number, copy);
    all.unshift(copy);
    byUser.set(copy.username, [copy, ...(byUser.get(copy.username) ?? [])]);
  };
  return Object.assign(simulator, {
    writes,
    placeOrder,
    refuseTokensIssuedBefore: (epochSeconds: number | null) => (trustedFrom = epochSeconds),
  });
}
