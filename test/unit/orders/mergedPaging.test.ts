import pino from 'pino';
import { MergedOrderHistory } from '../../../subgraphs/orders/layers/merged/MergedOrderHistory';
import {
  assertReachable,
  compareOrders,
  MAX_MERGE_DEPTH,
  mergeOrderPages,
} from '../../../subgraphs/orders/domain/mergeOrderPages';
import type { Order } from '../../../subgraphs/orders/domain/Order';
import type {
  CallContext,
  OrderHistorySource,
  OrderPageQuery,
} from '../../../subgraphs/orders/port/OrdersBackend';
import { UpstreamError } from '../../../upstream/UpstreamError';
import { ErrorCode } from '../../../platform/ErrorCode';

// The edges of merged paging: ties at a page cut, the deepest reachable page, systems that fail, and
// a tie longer than the deepest read. In-memory systems: the HTTP path is in test/integration.
const context: CallContext = {
  identity: { username: 'learner1', isStaff: false, token: 't' },
  requestId: 'r',
};
const T0 = Date.UTC(2025, 0, 1);
const order = (number: string, secondsAgo: number) =>
  ({ number, placedAt: new Date(T0 - secondsAgo * 1000).toISOString() }) as Order;

/** A system answering `history` in the order given (the legacy API leaves ties unordered). */
function system(history: Order[] | (() => never), tiesOrderedByNumber = false) {
  const asked: number[] = [];
  const source: OrderHistorySource = {
    tiesOrderedByNumber,
    async listOrders({ page, pageSize }: OrderPageQuery) {
      asked.push(pageSize);
      if (typeof history === 'function') return history();
      return { count: history.length, orders: history.slice((page - 1) * pageSize, page * pageSize) };
    },
  };
  return { source, asked };
}

function merged(systems: OrderHistorySource[]) {
  const warnings: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
  const history = new MergedOrderHistory({ systems, logger });
  const read = (page: number, pageSize: number) =>
    history.listOrders({ username: 'learner1', page, pageSize }, context);
  return { read, warnings };
}

const outage = (upstream: string) => () => {
  throw new UpstreamError(upstream, ErrorCode.UPSTREAM_UNAVAILABLE, `${upstream} is unavailable`);
};

describe('compareOrders', () => {
  it('puts the newer first, and same-instant orders by number, equal only to itself', () => {
    const [a, b] = [order('EDX-1', 0), order('EDX-2', 0)];
    expect(compareOrders(a, b)).toBe(-1);
    expect(compareOrders(b, a)).toBe(1);
    expect(compareOrders(a, order('EDX-1', 0))).toBe(0);
    expect(compareOrders(order('EDX-9', 0), order('EDX-1', 5))).toBeLessThan(0);
  });
});

describe('mergeOrderPages', () => {
  it('takes from each source only its newest `depth` orders, as the source ordered them', () => {
    // The source's own cut decides which of two tied orders is its newest one.
    const tied = { count: 2, orders: [order('EDX-2', 0), order('EDX-1', 0)] };
    expect(mergeOrderPages([tied], { page: 1, pageSize: 1 }).orders.map((o) => o.number)).toEqual(['EDX-2']);
  });
});

describe('assertReachable', () => {
  it('refuses a page holding orders beyond the deepest exact read, naming the argument', () => {
    let refused: unknown;
    try {
      assertReachable(MAX_MERGE_DEPTH + 1, { page: 101, pageSize: 100 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      message: `Order history can be paged only to its ${MAX_MERGE_DEPTH}th order`,
      extensions: { code: 'BAD_USER_INPUT', argument: 'page' },
    });
  });

  it.each([
    ['past the end of a short history', 5],
    ['starting exactly at the end', MAX_MERGE_DEPTH],
  ])('lets an empty page through: %s', (_label, count) => {
    expect(() => assertReachable(count, { page: 101, pageSize: 100 })).not.toThrow();
  });
});

describe('MergedOrderHistory', () => {
  const many = (prefix: string, size: number) =>
    Array.from({ length: size }, (_, i) => order(`${prefix}-${i}`, i));

  it('answers a page starting exactly at the end from the first read', async () => {
    const legacy = system(many('EDX', 30));
    const vendor = system(many('2U', 10), true);
    const page = await merged([legacy.source, vendor.source]).read(3, 20);
    expect(page).toMatchObject({ count: 40, orders: [] });
    expect(legacy.asked).toEqual([21]);
    expect(vendor.asked).toEqual([20]);
  });

  it('with one system down, pages past the end of the others’ total without reading deep', async () => {
    const legacy = system(many('EDX', 200));
    const vendor = system(outage('vendor'), true);
    const page = await merged([legacy.source, vendor.source]).read(100, 100);
    expect(page).toMatchObject({ count: 200, orders: [] });
    expect(page.failures).toHaveLength(1);
    expect(legacy.asked).toEqual([101]);
  });

  it('with every system down, throws the first outage and logs the others', async () => {
    const { read, warnings } = merged([
      system(outage('legacy')).source,
      system(outage('vendor'), true).source,
    ]);
    await expect(read(1, 10)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'legacy' });
    expect(warnings).toEqual([
      expect.objectContaining({
        upstream: 'vendor',
        code: 'UPSTREAM_UNAVAILABLE',
        msg: 'merged history: another system failed too',
      }),
    ]);
  });

  it('orders a tie the legacy API left unordered by number before cutting', async () => {
    // Same instant, answered in reverse number order; then an older one that ends the tie.
    const legacy = system([order('EDX-2', 0), order('EDX-1', 0), order('EDX-0', 9)]);
    const { read, warnings } = merged([legacy.source]);
    expect((await read(1, 1)).orders.map((o) => o.number)).toEqual(['EDX-1']);
    expect(legacy.asked).toEqual([2, 4]);
    expect(warnings).toEqual([]);
  });

  it('stops doubling at the deepest read when a tie is longer, and says the page may be inexact', async () => {
    const tie = Array.from({ length: MAX_MERGE_DEPTH + 5 }, (_, i) => order(`EDX-${i}`, 0));
    const legacy = system(tie);
    const { read, warnings } = merged([legacy.source]);
    const page = await read(1, 100);
    expect(page.orders).toHaveLength(100);
    expect(legacy.asked).toEqual([101, 202, 404, 808, 1616, 3232, 6464, MAX_MERGE_DEPTH]);
    expect(warnings).toEqual([
      expect.objectContaining({
        depth: 100,
        msg: 'merged history: a tie longer than the deepest read; page may be inexact',
      }),
    ]);
  });

  it('reads the deepest page in one ask, with no warning, when the tie ends inside it', async () => {
    const legacy = system(many('EDX', MAX_MERGE_DEPTH));
    const { read, warnings } = merged([legacy.source]);
    const page = await read(100, 100);
    expect(page.orders.map((o) => o.number)).toEqual(
      many('EDX', MAX_MERGE_DEPTH)
        .slice(9900)
        .map((o) => o.number),
    );
    expect(legacy.asked).toEqual([101, MAX_MERGE_DEPTH]);
    expect(warnings).toEqual([]);
  });
});
