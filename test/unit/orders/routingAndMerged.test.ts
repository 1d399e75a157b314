import { silentLogger } from '../../../platform/createLogger';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import { UpstreamError } from '../../../upstream/UpstreamError';
import { MergedOrderHistory } from '../../../subgraphs/orders/layers/merged/MergedOrderHistory';
import { RoutingOrdersBackend } from '../../../subgraphs/orders/layers/routing/RoutingOrdersBackend';
import type { Order, OrderPage } from '../../../subgraphs/orders/domain/Order';
import type {
  CallContext,
  OrderPageQuery,
  OrdersBackend,
} from '../../../subgraphs/orders/port/OrdersBackend';

const context: CallContext = {
  identity: { username: 'learner1', isStaff: false, token: 't' },
  requestId: 'r',
};

const order = (number: string, placedAt: string) => ({ number, placedAt }) as Order;

/** An in-memory system: a sorted history, by-number lookups, a switch to make it fail, and a log of asks. */
function system(orders: Order[], tiesOrderedByNumber = false) {
  const asked: OrderPageQuery[] = [];
  let failure: Error | null = null;
  const backend: OrdersBackend & { tiesOrderedByNumber: boolean } = {
    tiesOrderedByNumber,
    async listOrders(query) {
      asked.push(query);
      if (failure) throw failure;
      const start = (query.page - 1) * query.pageSize;
      return { count: orders.length, orders: orders.slice(start, start + query.pageSize) };
    },
    async getOrders(numbers) {
      if (failure) throw failure;
      return numbers.map((n) => orders.find((o) => o.number === n) ?? null);
    },
  };
  return { backend, asked, fail: (error: Error) => (failure = error) };
}

const legacyOrders = [
  order('EDX-100003', '2024-03-01T00:00:00Z'),
  order('EDX-100001', '2024-01-01T00:00:00Z'),
];
const vendorOrders = [order('2U-000002', '2024-03-01T00:00:00Z'), order('2U-000001', '2024-02-01T00:00:00Z')];
const down = (upstream: string) =>
  new UpstreamError(upstream, ErrorCode.UPSTREAM_UNAVAILABLE, `${upstream} is unavailable`);

describe('RoutingOrdersBackend', () => {
  const setup = (withVendor = true) => {
    const [legacy, vendor] = [system(legacyOrders), system(vendorOrders)];
    const routing = new RoutingOrdersBackend({
      history: legacy.backend,
      legacy: legacy.backend,
      vendor: withVendor ? vendor.backend : null,
      legacyNumberPattern: /^EDX-\d{1,6}$/,
    });
    return { legacy, vendor, routing };
  };

  it('sends each number to the system that issued it and keeps the batch aligned', async () => {
    const { routing } = setup();
    const found = await routing.getOrders(['2U-000001', 'EDX-100001', 'EDX-999999', '2U-999999'], context);
    expect(found.map((o) => (o as Order | null)?.number ?? null)).toEqual([
      '2U-000001',
      'EDX-100001',
      null,
      null,
    ]);
  });

  it('fails only the numbers of a system that is down', async () => {
    const { routing, vendor } = setup();
    vendor.fail(down('vendor-commerce'));
    const found = await routing.getOrders(['2U-000001', 'EDX-100001'], context);
    expect(found[0]).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'vendor-commerce' });
    expect(found[1]).toMatchObject({ number: 'EDX-100001' });
  });

  it('answers null for vendor numbers when no vendor is configured', async () => {
    expect(await setup(false).routing.getOrders(['2U-000001'], context)).toEqual([null]);
  });
});

describe('MergedOrderHistory', () => {
  const setup = () => {
    const [legacy, vendor] = [system(legacyOrders), system(vendorOrders, true)];
    const merged = new MergedOrderHistory({
      systems: [legacy.backend, vendor.backend],
      logger: silentLogger(),
    });
    return { legacy, vendor, merged };
  };
  const numbers = (page: OrderPage) => page.orders.map((o) => o.number);

  it('pages the union newest first, ties by number, asking each system for its first page first (+1 where ties are unordered)', async () => {
    const { legacy, vendor, merged } = setup();
    const page = await merged.listOrders({ username: 'learner1', page: 2, pageSize: 2 }, context);
    expect(page).toMatchObject({ count: 4, failures: [] });
    expect(numbers(page)).toEqual(['2U-000001', 'EDX-100001']);
    // One more from the system whose ties come in no promised order: it shows whether a tie straddles.
    // That first read holds both whole histories (2 orders each), so nothing deeper is read.
    expect(legacy.asked).toEqual([{ username: 'learner1', page: 1, pageSize: 3 }]);
    expect(vendor.asked).toEqual([{ username: 'learner1', page: 1, pageSize: 2 }]);
    const first = await merged.listOrders({ username: 'learner1', page: 1, pageSize: 2 }, context);
    expect(numbers(first)).toEqual(['2U-000002', 'EDX-100003']);
  });

  it('reads past a tie that straddles the cut, doubling, and picks the tied orders by number', async () => {
    // Six orders at one instant, returned by number DESCENDING (the API promises no tie order).
    const tied = ['EDX-100006', 'EDX-100005', 'EDX-100004', 'EDX-100003', 'EDX-100002', 'EDX-100001'].map(
      (n) => order(n, '2024-05-01T00:00:00Z'),
    );
    const legacy = system([...tied, order('EDX-100000', '2024-04-01T00:00:00Z')]);
    const vendor = system([], true);
    const merged = new MergedOrderHistory({
      systems: [legacy.backend, vendor.backend],
      logger: silentLogger(),
    });
    const first = await merged.listOrders({ username: 'learner1', page: 1, pageSize: 2 }, context);
    expect(numbers(first)).toEqual(['EDX-100001', 'EDX-100002']);
    // 2 + 1 = 3 ends inside the tie, so does 6; 12 reaches the end of the history (7 orders).
    expect(legacy.asked.map((q) => q.pageSize)).toEqual([3, 6, 12]);
    const second = await merged.listOrders({ username: 'learner1', page: 2, pageSize: 2 }, context);
    expect(numbers(second)).toEqual(['EDX-100003', 'EDX-100004']);
  });

  it('serves the other system when one is down, and reports the failure', async () => {
    const { vendor, merged } = setup();
    vendor.fail(down('vendor-commerce'));
    const page = await merged.listOrders({ username: 'learner1', page: 1, pageSize: 20 }, context);
    expect(numbers(page)).toEqual(['EDX-100003', 'EDX-100001']);
    expect(page.count).toBe(2);
    expect(page.failures).toEqual([expect.objectContaining({ upstream: 'vendor-commerce' })]);
  });

  it('fails when every system fails, and passes non-outage errors through unchanged', async () => {
    const { legacy, vendor, merged } = setup();
    legacy.fail(down('legacy-ecommerce'));
    vendor.fail(down('vendor-commerce'));
    const query = { username: 'learner1', page: 1, pageSize: 20 };
    await expect(merged.listOrders(query, context)).rejects.toMatchObject({ upstream: 'legacy-ecommerce' });
    legacy.fail(codedError(ErrorCode.UNAUTHENTICATED, 'The ecommerce service rejected the credentials'));
    await expect(merged.listOrders(query, context)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});
