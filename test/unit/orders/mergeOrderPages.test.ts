import { createRandom, type Random } from '../../../simulators/seed/createRandom';
import {
  MAX_MERGE_DEPTH,
  mergeDepth,
  mergeOrderPages,
} from '../../../subgraphs/orders/backends/merged/mergeOrderPages';
import type { Order } from '../../../subgraphs/orders/domain/Order';

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
