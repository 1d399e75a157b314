import type { Logger } from 'pino';
import { isUpstreamError, type UpstreamError } from '../../../../upstream/UpstreamError';
import type { OrderPage } from '../../domain/Order';
import type { CallContext, OrderHistorySource, OrderPageQuery } from '../../OrdersBackend';
import { mergeDepth, mergeOrderPages } from './mergeOrderPages';

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
 * MAX_MERGE_DEPTH) — never more, and that is the least that makes every page exact (mergeOrderPages).
 * The legacy API serves that as one page; the vendor adapter reads at most N × S from each of its two
 * sorted streams (see VendorOrdersBackend), because its API cannot sort by the instant we show.
 *
 * A system that fails does not take the history down: the others' orders arrive, `count` sums only
 * their totals, and the failure rides along in `failures` so the response says so (complete: false
 * plus a coded error) — never silently. Only when every system fails does the call fail.
 */
export class MergedOrderHistory implements OrderHistorySource {
  constructor(private readonly options: MergedOrderHistoryOptions) {}

  async listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    const newest: OrderPageQuery = { username: query.username, page: 1, pageSize: mergeDepth(query) };
    const settled = await Promise.allSettled(this.options.systems.map((s) => s.listOrders(newest, context)));
    const pages: OrderPage[] = [];
    const failures: UpstreamError[] = [];
    for (const result of settled) {
      if (result.status === 'fulfilled') {
        pages.push(result.value);
        failures.push(...(result.value.failures ?? []));
      } else if (isUpstreamError(result.reason)) {
        failures.push(result.reason);
      } else {
        // Not an outage (a rejected credential, a bug): the same answer any single mode would give.
        throw result.reason;
      }
    }
    if (pages.length === 0) {
      for (const extra of failures.slice(1)) {
        this.options.logger.warn(
          { upstream: extra.upstream, code: extra.code },
          'merged history: another system failed too',
        );
      }
      throw failures[0];
    }
    return { ...mergeOrderPages(pages, query), failures };
  }
}
