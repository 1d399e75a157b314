import { silentLogger } from '../../../platform/createLogger';
import { MergedOrderHistory } from '../../../subgraphs/orders/layers/merged/MergedOrderHistory';
import { MAX_MERGE_DEPTH } from '../../../subgraphs/orders/domain/mergeOrderPages';
import type { Order } from '../../../subgraphs/orders/domain/Order';
import type {
  CallContext,
  OrderHistorySource,
  OrderPageQuery,
} from '../../../subgraphs/orders/port/OrdersBackend';

const context: CallContext = {
  identity: { username: 'learner1', isStaff: false, token: 't' },
  requestId: 'r',
};

/** `size` orders one second apart, newest first, numbered `<prefix>-<n>`. */
function orders(prefix: string, size: number): Order[] {
  return Array.from(
    { length: size },
    (_, i) =>
      ({
        number: `${prefix}-${i}`,
        placedAt: new Date(Date.UTC(2025, 0, 1) - i * 1000).toISOString(),
      }) as Order,
  );
}

/** A sorted in-memory system that records what it is asked and how many orders it hands out. */
function system(history: Order[], tiesOrderedByNumber: boolean) {
  const asked: Pick<OrderPageQuery, 'page' | 'pageSize'>[] = [];
  let rows = 0;
  const source: OrderHistorySource = {
    tiesOrderedByNumber,
    async listOrders({ page, pageSize }) {
      asked.push({ page, pageSize });
      const slice = history.slice((page - 1) * pageSize, page * pageSize);
      rows += slice.length;
      return { count: history.length, orders: slice };
    },
  };
  return { source, asked, rows: () => rows };
}

function setup(legacySize: number, vendorSize: number) {
  const legacy = system(orders('EDX', legacySize), false);
  const vendor = system(orders('2U', vendorSize), true);
  const merged = new MergedOrderHistory({ systems: [legacy.source, vendor.source], logger: silentLogger() });
  const read = (page: number, pageSize: number) =>
    merged.listOrders({ username: 'learner1', page, pageSize }, context);
  return { legacy, vendor, read };
}

describe('MergedOrderHistory read cost', () => {
  it('answers a page past the end from the first page’s read: same asks, no more rows', async () => {
    const first = setup(200, 12);
    await first.read(1, 100);
    const pastTheEnd = setup(200, 12);
    const page = await pastTheEnd.read(100, 100);

    expect(page).toMatchObject({ count: 212, orders: [], failures: [] });
    expect(pastTheEnd.legacy.asked).toEqual(first.legacy.asked);
    expect(pastTheEnd.vendor.asked).toEqual(first.vendor.asked);
    expect(pastTheEnd.legacy.rows() + pastTheEnd.vendor.rows()).toBe(
      first.legacy.rows() + first.vendor.rows(),
    );
    expect(pastTheEnd.legacy.rows()).toBe(101);
  });

  it('reads deeper, for a page in range, only from the systems the first read did not hold entirely', async () => {
    const { legacy, vendor, read } = setup(200, 12);
    const page = await read(3, 20);

    expect(page.count).toBe(212);
    expect(page.orders).toHaveLength(20);
    // First pages (legacy one more, for ties), then legacy alone to 3 × 20 (+1): the vendor's 12 were all read.
    expect(legacy.asked).toEqual([
      { page: 1, pageSize: 21 },
      { page: 1, pageSize: 61 },
    ]);
    expect(vendor.asked).toEqual([{ page: 1, pageSize: 20 }]);
  });

  it('refuses a page beyond the deepest exact read from the totals, before reading deep', async () => {
    const { legacy, vendor, read } = setup(MAX_MERGE_DEPTH + 50, 0);
    await expect(read(101, 100)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(legacy.asked).toEqual([{ page: 1, pageSize: 101 }]);
    expect(vendor.asked).toEqual([{ page: 1, pageSize: 100 }]);
  });
});
