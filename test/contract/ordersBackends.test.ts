import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { createDiscoverySimulator } from '../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import { createRandom } from '../../simulators/seed/createRandom';
import { createSeed } from '../../simulators/seed/createSeed';
import type { SeedOrder } from '../../simulators/seed/SeedOrder';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
} from '../../simulators/vendor/createVendorSimulator';
import { startTestStack, type TestStack } from '../helpers/startTestStack';

/**
 * The same GraphQL assertions against every ORDERS_BACKEND, over the same logical orders: all in the
 * legacy system, all in the vendor system, or split between the two (merged). Each mode's answer must
 * equal the legacy-only answer, order for order, but for the numbers each system gives its orders.
 */
type Mode = 'legacy' | 'vendor' | 'merged';

const seed = createSeed();
const jwt = parseJwtEnv({});
const LEARNER = 'learner1';
const SAME_IN_BOTH = new Set(['Complete', 'Open', 'Pending', 'Payment Error']);

/** learner1's orders plus some of a neighbour's, with statuses both systems can express and forced ties. */
const logical: SeedOrder[] = seed.orders
  .filter((o) => o.username === LEARNER || o.username === 'learner4')
  .map((o) => ({ ...o, status: SAME_IN_BOTH.has(o.status) ? o.status : 'Complete' }));
const learnerOrders = logical.filter((o) => o.username === LEARNER);
for (const [from, to] of [
  [3, 4],
  [10, 11],
  [10, 12],
  [30, 31],
] as const) {
  learnerOrders[to]!.placedAt = learnerOrders[from]!.placedAt;
}
const TOTAL = learnerOrders.length;
const ids = new Map(logical.map((o, i) => [o, i]));
const legacyNumber = (id: number) => `EDX-${200000 + id}`;
const vendorNumber = (id: number) => `2U-${String(id + 1).padStart(6, '0')}`;
const split = createRandom(99);
const systemOf: Record<Mode, (id: number) => 'legacy' | 'vendor'> = {
  legacy: () => 'legacy',
  vendor: () => 'vendor',
  merged: (() => {
    const choice = logical.map(() => (split.chance(0.5) ? 'legacy' : 'vendor') as 'legacy' | 'vendor');
    return (id: number) => choice[id]!;
  })(),
};
const numberIn = (mode: Mode, id: number) =>
  (systemOf[mode](id) === 'legacy' ? legacyNumber : vendorNumber)(id);

/** What each mode must list: newest first, ties by the number that mode gives the order. */
function expectedNumbers(mode: Mode): string[] {
  return learnerOrders
    .map((o) => ({ at: Date.parse(o.placedAt), number: numberIn(mode, ids.get(o)!) }))
    .sort((a, b) => b.at - a.at || (a.number < b.number ? -1 : 1))
    .map((o) => o.number);
}

const FIELDS = `number placedAt status total { amount currency } discount { amount currency } paymentMethod receiptUrl
  lines { title description quantity unitPrice { amount currency } linePrice { amount currency } status courseRun { key title } }`;
const HISTORY = `query H($page: Int, $pageSize: Int) {
  orderHistory(page: $page, pageSize: $pageSize) { count page pageSize pageCount complete orders { ${FIELDS} } }
}`;
const ORDER = `query O($number: ID!) { order(number: $number) { ${FIELDS} } }`;

interface OrderView {
  number: string;
  receiptUrl: string;
  [field: string]: unknown;
}
interface HistoryView {
  count: number;
  pageCount: number;
  complete: boolean;
  orders: OrderView[];
}

async function startMode(mode: Mode) {
  const inSystem = (system: 'legacy' | 'vendor', rename: (id: number) => string) =>
    logical
      .map((o, id) => ({ o, id }))
      .filter(({ id }) => systemOf[mode](id) === system)
      .map(({ o, id }) => ({ ...o, number: rename(id) }));
  const simulators: Simulator[] = [
    await createLegacyEcommerceSimulator({
      seed: { ...seed, orders: inSystem('legacy', legacyNumber) },
      jwt,
      // Every page size of the whole history, as learner1: far beyond 75 requests a minute.
      throttleRate: LOAD_TEST_THROTTLE_RATE,
      // Legacy mode shows the API's own order among ties (number ascending, as its database returns
      // them); merged must be exact whatever the API does with ties, so it gets the opposite order.
      tieOrder: mode === 'merged' ? 'number-desc' : 'number-asc',
    }),
    await createVendorSimulator({ orders: inSystem('vendor', vendorNumber) }),
    await createDiscoverySimulator({ seed, jwt }),
  ];
  const [legacy, vendor, discovery] = simulators as [Simulator, Simulator, Simulator];
  const stack = await startTestStack({
    ORDERS_BACKEND: mode,
    LEGACY_ECOMMERCE_URL: legacy.url,
    DISCOVERY_URL: discovery.url,
    VENDOR_API_URL: vendor.url,
    VENDOR_AUTH_URL: vendor.url,
    VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
    VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
    VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
    VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
  });
  return {
    stack,
    stop: async () => {
      await stack.stop();
      await Promise.all(simulators.map((s) => s.close()));
    },
  };
}

async function history(stack: TestStack, page: number, pageSize: number): Promise<HistoryView> {
  const result = await stack.query<{ orderHistory: HistoryView }>(HISTORY, {
    user: LEARNER,
    variables: { page, pageSize },
  });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.orderHistory;
}

/** An order as any system would show it: the number replaced by the logical order it stands for. */
function normalised(mode: Mode, order: OrderView) {
  const { number, receiptUrl, ...rest } = order;
  expect(receiptUrl).toMatch(new RegExp(`\\?order_number=${number}$`));
  const id = logical.findIndex((_, i) => numberIn(mode, i) === number);
  // The legacy system spreads an order's discounts over its line prices (Oscar's line price is after
  // them); the vendor keeps them on the total: a discounted order's line prices differ by design.
  const lines = rest.discount
    ? (rest.lines as { linePrice?: unknown }[]).map(({ linePrice: _, ...l }) => l)
    : rest.lines;
  return { id, ...rest, lines };
}

let reference: Map<number, ReturnType<typeof normalised>>;
beforeAll(async () => {
  const legacyOnly = await startMode('legacy');
  try {
    const full = await history(legacyOnly.stack, 1, 100);
    reference = new Map(full.orders.map((o) => normalised('legacy', o)).map((o) => [o.id, o]));
  } finally {
    await legacyOnly.stop();
  }
  expect(reference.size).toBe(TOTAL);
});

describe.each<Mode>(['legacy', 'vendor', 'merged'])('ORDERS_BACKEND=%s', (mode) => {
  let running: Awaited<ReturnType<typeof startMode>>;
  beforeAll(async () => {
    running = await startMode(mode);
  });
  afterAll(() => running.stop());

  it('lists every order newest first, each exactly as the legacy-only answer has it', async () => {
    const full = await history(running.stack, 1, 100);
    expect(full).toMatchObject({ count: TOTAL, pageCount: 1, complete: true });
    expect(full.orders.map((o) => o.number)).toEqual(expectedNumbers(mode));
    for (const order of full.orders) {
      const view = normalised(mode, order);
      expect(view).toEqual(reference.get(view.id));
    }
  });

  it.each([1, 7, 20])(
    'pages of %i are slices of that list, with count and pageCount right',
    async (pageSize) => {
      const expected = expectedNumbers(mode);
      const pages = Math.ceil(TOTAL / pageSize);
      for (let page = 1; page <= pages + 1; page++) {
        const view = await history(running.stack, page, pageSize);
        expect({ count: view.count, pageCount: view.pageCount, complete: view.complete }).toEqual({
          count: TOTAL,
          pageCount: pages,
          complete: true,
        });
        expect(view.orders.map((o) => o.number)).toEqual(
          expected.slice((page - 1) * pageSize, page * pageSize),
        );
      }
    },
  );

  it('answers order(number) for its own orders as the list does, and null for a neighbour’s', async () => {
    const own = learnerOrders.map((o) => ids.get(o)!).filter((id) => id % 9 === 0);
    for (const id of own) {
      const result = await running.stack.query<{ order: OrderView }>(ORDER, {
        user: LEARNER,
        variables: { number: numberIn(mode, id) },
      });
      expect(normalised(mode, result.body.data!.order)).toEqual(reference.get(id));
    }
    const neighbour = logical.findIndex((o) => o.username === 'learner4');
    const other = await running.stack.query(ORDER, {
      user: LEARNER,
      variables: { number: numberIn(mode, neighbour) },
    });
    expect(other.body).toEqual({ data: { order: null } });
  });

  it('gives a learner with no orders in any system an empty, complete history', async () => {
    const result = await running.stack.query<{ orderHistory: HistoryView }>(HISTORY, { user: 'learner2' });
    expect(result.body.data!.orderHistory).toMatchObject({
      count: 0,
      pageCount: 0,
      complete: true,
      orders: [],
    });
  });
});
