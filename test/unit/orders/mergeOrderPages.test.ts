import { createRandom, type Random } from '../../../simulators/seed/createRandom';
import {
  MAX_MERGE_DEPTH,
  mergeDepth,
  mergeOrderPages,
} from '../../../subgraphs/orders/domain/mergeOrderPages';
import { MergedOrderHistory } from '../../../subgraphs/orders/layers/merged/MergedOrderHistory';
import type { Order } from '../../../subgraphs/orders/domain/Order';
import type { CallContext, OrderHistorySource } from '../../../subgraphs/orders/port/OrdersBackend';
import { silentLogger } from '../../../platform/createLogger';

const CASES = 500;

function order(number: string, placedAt: string): Order {
  return {
    number,
    placedAt,
    status: 'COMPLETE',
    total: { amount: '1.00', currency: 'USD' },
    discount: null,
    paymentMethod: null,
    receiptUrl: `https://example.org/receipt/?order_number=${number}`,
    lines: [],
  };
}

/** The specification, written independently of the code: newest first, then by number. */
function newestFirst(a: Order, b: Order): number {
  const [ta, tb] = [new Date(a.placedAt).getTime(), new Date(b.placedAt).getTime()];
  if (ta !== tb) return tb - ta;
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

/** Sort everything, then slice. */
function bruteForce(all: readonly Order[], page: number, pageSize: number): string[] {
  return [...all]
    .sort(newestFirst)
    .slice((page - 1) * pageSize, page * pageSize)
    .map((o) => o.number);
}

/**
 * One system's history as its API returns it (sorted), drawing instants from a small shared pool so
 * equal timestamps are common within a system and across systems, in both ISO spellings.
 */
function history(random: Random, prefix: string, instants: readonly number[]): Order[] {
  const size = random.int(0, 40);
  const orders = Array.from({ length: size }, (_, i) => {
    const ms = random.pick(instants);
    const iso = new Date(ms).toISOString();
    const placedAt = random.chance(0.5) ? iso.replace('.000Z', 'Z') : iso;
    return order(`${prefix}-${String(random.int(0, 99_999)).padStart(6, '0')}${i}`, placedAt);
  });
  return orders.sort(newestFirst);
}

describe('mergeOrderPages', () => {
  it(`equals sorting the union and slicing, over ${CASES} random datasets with ties`, () => {
    const random = createRandom(424242);
    let cases = 0;
    let pagesWithCrossSystemTies = 0;
    for (let c = 0; c < CASES; c++) {
      const pool = Array.from(
        { length: random.int(1, 12) },
        () => Date.UTC(2024, 0, 1) + random.int(0, 50) * 1000 + (random.chance(0.2) ? 250 : 0),
      );
      const systems = [history(random, 'EDX', pool), history(random, '2U', pool)];
      if (random.chance(0.2)) systems.push(history(random, 'ZZ', pool));
      const all = systems.flat();
      const pageSize = random.int(1, 15);
      const page = random.int(1, Math.ceil(all.length / pageSize) + 2);
      const depth = mergeDepth({ page, pageSize });
      // What each system is asked for: its total and no more than its newest page × pageSize orders.
      const sources = systems.map((orders) => ({ count: orders.length, orders: orders.slice(0, depth) }));
      const merged = mergeOrderPages(sources, { page, pageSize });

      expect(merged.count).toBe(all.length);
      expect(merged.orders.map((o) => o.number)).toEqual(bruteForce(all, page, pageSize));
      const systemsAt = new Map<number, Set<string>>();
      for (const o of merged.orders) {
        const at = Date.parse(o.placedAt);
        systemsAt.set(at, (systemsAt.get(at) ?? new Set()).add(o.number.split('-')[0]!));
      }
      if ([...systemsAt.values()].some((systems) => systems.size > 1)) pagesWithCrossSystemTies++;
      cases++;
    }
    expect(cases).toBe(CASES);
    // The datasets really exercise the tie-break across systems, not just within one.
    expect(pagesWithCrossSystemTies).toBeGreaterThan(CASES / 10);
  });

  it('reads at most page × pageSize orders per source', () => {
    expect(mergeDepth({ page: 3, pageSize: 20 })).toBe(60);
    expect(mergeDepth({ page: 1000, pageSize: 100 })).toBe(MAX_MERGE_DEPTH);
  });

  it('answers a page past the end with no orders and the summed count', () => {
    const sources = [
      { count: 2, orders: [order('EDX-1', '2024-01-02T00:00:00Z'), order('EDX-2', '2024-01-01T00:00:00Z')] },
      { count: 1, orders: [order('2U-1', '2024-01-03T00:00:00Z')] },
    ];
    expect(mergeOrderPages(sources, { page: 500, pageSize: 100 })).toEqual({ count: 3, orders: [] });
  });

  it('refuses a page beyond the depth it can read exactly, rather than answer it wrongly', () => {
    const sources = [{ count: MAX_MERGE_DEPTH + 50, orders: [] }];
    expect(() => mergeOrderPages(sources, { page: 101, pageSize: 100 })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});

/**
 * A system like the legacy API: newest first by date alone, orders placed at the same instant in an
 * order of its own that may change from one call to the next (here: shuffled on every call).
 */
function unorderedTies(random: Random, orders: readonly Order[]): OrderHistorySource & { read: number } {
  const source = {
    read: 0,
    async listOrders(query: { page: number; pageSize: number }) {
      const byTime = [...orders]
        .map((o) => ({ o, key: random.int(0, 1_000_000) }))
        .sort((a, b) => Date.parse(b.o.placedAt) - Date.parse(a.o.placedAt) || a.key - b.key)
        .map(({ o }) => o);
      const start = (query.page - 1) * query.pageSize;
      const page = byTime.slice(start, start + query.pageSize);
      source.read += page.length;
      return { count: orders.length, orders: page };
    },
  };
  return source;
}

describe('MergedOrderHistory over a system that does not order its ties', () => {
  const context = {} as CallContext;

  it(`equals sorting the union and slicing, over ${CASES} random datasets whose ties come back shuffled`, async () => {
    const random = createRandom(777);
    let pagesWithStraddlingTies = 0;
    for (let c = 0; c < CASES; c++) {
      const pool = Array.from(
        { length: random.int(1, 8) },
        () => Date.UTC(2024, 0, 1) + random.int(0, 30) * 1000,
      );
      const legacyOrders = history(random, 'EDX', pool);
      const vendorOrders = history(random, '2U', pool);
      const legacy = unorderedTies(random, legacyOrders);
      // The vendor adapter promises number order within an instant, and is taken at its word.
      const vendor: OrderHistorySource = {
        tiesOrderedByNumber: true,
        listOrders: async (q) => ({
          count: vendorOrders.length,
          orders: vendorOrders.slice((q.page - 1) * q.pageSize, q.page * q.pageSize),
        }),
      };
      const merged = new MergedOrderHistory({ systems: [legacy, vendor], logger: silentLogger() });
      const all = [...legacyOrders, ...vendorOrders];
      const pageSize = random.int(1, 10);
      const page = random.int(1, Math.ceil(all.length / pageSize) + 1);
      const result = await merged.listOrders({ username: 'u', page, pageSize }, context);

      expect(result.count).toBe(all.length);
      expect(result.orders.map((o) => o.number)).toEqual(bruteForce(all, page, pageSize));
      const depth = mergeDepth({ page, pageSize });
      const cut = [...legacyOrders].sort(newestFirst);
      if (cut.length > depth && Date.parse(cut[depth - 1]!.placedAt) === Date.parse(cut[depth]!.placedAt))
        pagesWithStraddlingTies++;
    }
    // The datasets really put ties across the cut, where trusting the API's tie order goes wrong.
    expect(pagesWithStraddlingTies).toBeGreaterThan(CASES / 10);
  });
});
