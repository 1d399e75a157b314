import type { Logger } from 'pino';
import { isUpstreamError } from '../../../../upstream/UpstreamError';
import type { Order, OrderPage } from '../../domain/Order';
import type { SystemFailure } from '../../domain/SystemFailure';
import type { CallContext, OrderHistorySource, OrderPageQuery } from '../../port/OrdersBackend';
import {
  assertReachable,
  compareOrders,
  MAX_MERGE_DEPTH,
  mergeDepth,
  mergeOrderPages,
} from '../../domain/mergeOrderPages';

export interface MergedOrderHistoryOptions {
  /** Every system holding orders, e.g. legacy and vendor; each already authorises its reads. */
  systems: readonly OrderHistorySource[];
  logger: Logger;
}

/**
 * One history across systems, newest first, paged exactly as if it were one list (Commerce
 * Coordinator pulled 200 per system and hid the pager instead).
 *
 * Read bound: for page N of size S each system is asked for its newest N × S orders (capped at
 * MAX_MERGE_DEPTH), the least that makes every page exact (mergeOrderPages). The vendor adapter reads
 * at most N × S from each of its two sorted streams (see VendorOrdersBackend), because its API cannot
 * sort by the instant we show. The legacy API sorts by date alone, so orders placed at the same instant
 * come back in no promised order: it is asked for N × S + 1, and only when that last order shares its
 * instant with the N × S-th (a tie straddling the cut) for more, doubling, until the tie is in hand.
 *
 * Pages after the first are read in two steps, so that a page past the end costs no more than the
 * first page: first every system's first page (which brings each total), then — only if the page is
 * not past the end of the sum — the deeper read, from the systems the first read did not already
 * cover entirely. Without that, page 100 of a short history read every system to its end to answer
 * nothing, and fifteen aliases of it did so fifteen times.
 *
 * A system that fails does not take the history down: the others' orders arrive, `count` sums only
 * their totals, and the failure rides along in `failures` so the response says so (complete: false
 * plus a coded error) — never silently. Only when every system fails does the call fail.
 */
export class MergedOrderHistory implements OrderHistorySource {
  constructor(private readonly options: MergedOrderHistoryOptions) {}

  async listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    const { systems } = this.options;
    const depth = mergeDepth(query);
    const first = await this.readAll(systems, query.username, Math.min(depth, query.pageSize), context);
    if (depth <= query.pageSize) return this.answer(first, query);
    const pages = first.filter((r): r is PromiseFulfilledResult<OrderPage> => r.status === 'fulfilled');
    const count = pages.reduce((sum, r) => sum + r.value.count, 0);
    // Past the end by the totals alone (or every system down): answered from the first read.
    if ((query.page - 1) * query.pageSize >= count || pages.length === 0) return this.answer(first, query);
    assertReachable(count, query);
    const deeper = await Promise.all(
      systems.map(async (system, i): Promise<PromiseSettledResult<OrderPage>> => {
        const read = first[i]!;
        if (read.status === 'rejected' || covers(read.value, depth)) return read;
        const [again] = await this.readAll([system], query.username, depth, context);
        return again!;
      }),
    );
    return this.answer(deeper, query);
  }

  private readAll(
    systems: readonly OrderHistorySource[],
    username: string,
    depth: number,
    context: CallContext,
  ): Promise<PromiseSettledResult<OrderPage>[]> {
    return Promise.allSettled(systems.map((system) => this.newest(system, username, depth, context)));
  }

  /** The page from every system's newest orders, or the first outage when every system failed. */
  private answer(settled: readonly PromiseSettledResult<OrderPage>[], query: OrderPageQuery): OrderPage {
    const pages: OrderPage[] = [];
    const failures: SystemFailure[] = [];
    for (const result of settled) {
      if (result.status === 'fulfilled') {
        pages.push(result.value);
        failures.push(...(result.value.failures ?? []));
      } else if (isUpstreamError(result.reason)) {
        failures.push(result.reason);
      } else {
        // Not an outage (a rejected credential, the request's budget spent, a bug): the same answer
        // any single mode would give.
        throw result.reason;
      }
    }
    if (pages.length === 0) {
      for (const extra of failures.slice(1)) {
        this.options.logger.warn(
          { upstream: extra.clientExtensions.upstream, code: extra.code },
          'merged history: another system failed too',
        );
      }
      throw failures[0];
    }
    return { ...mergeOrderPages(pages, query), failures };
  }

  /** A system's newest `depth` orders in merge order (compareOrders), exact even across ties. */
  private async newest(
    system: OrderHistorySource,
    username: string,
    depth: number,
    context: CallContext,
  ): Promise<OrderPage> {
    if (system.tiesOrderedByNumber) return system.listOrders({ username, page: 1, pageSize: depth }, context);
    for (let want = Math.min(depth + 1, MAX_MERGE_DEPTH); ; want = Math.min(want * 2, MAX_MERGE_DEPTH)) {
      const page = await system.listOrders({ username, page: 1, pageSize: want }, context);
      const { orders } = page;
      const straddles =
        orders.length === want && orders.length > depth && sameInstant(orders[depth - 1]!, orders[want - 1]!);
      if (straddles && want < MAX_MERGE_DEPTH) continue;
      if (straddles) {
        this.options.logger.warn(
          { depth },
          'merged history: a tie longer than the deepest read; page may be inexact',
        );
      }
      return { ...page, orders: [...orders].sort(compareOrders).slice(0, depth) };
    }
  }
}

const sameInstant = (a: Order, b: Order) => Date.parse(a.placedAt) === Date.parse(b.placedAt);

/** Whether a read already holds a system's newest `depth` orders: all of them, when it has fewer. */
const covers = (page: OrderPage, depth: number) => page.orders.length >= Math.min(page.count, depth);
