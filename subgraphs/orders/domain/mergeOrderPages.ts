import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import type { Order, OrderPage } from './Order';

/**
 * Deepest position a merged history reads to: the legacy API's largest page and commercetools'
 * largest offset. 100 pages of 100 orders — far beyond any learner's history.
 */
export const MAX_MERGE_DEPTH = 10_000;

/** Which page of a history: 1-based `page` of `pageSize` orders (as OrderPageQuery has them). */
type Window = { page: number; pageSize: number };

/** How many of its newest orders each source must supply for a page: all of them up to its end. */
export function mergeDepth(query: Window): number {
  return Math.min(query.page * query.pageSize, MAX_MERGE_DEPTH);
}

/**
 * Newest first; orders placed at the same instant by number (code-unit order), so the order is total
 * and a page boundary never splits a tie differently from one request to the next.
 */
export function compareOrders(a: Order, b: Order): number {
  const byTime = Date.parse(b.placedAt) - Date.parse(a.placedAt);
  if (byTime !== 0) return byTime;
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

/**
 * One page of the union of several sources, exactly as if the union were sorted and sliced. Each
 * source gives its total and its newest `mergeDepth(query)` orders; that is enough because an order
 * on page N has fewer than N × pageSize orders ahead of it in the union, hence fewer within its own
 * source. The sources' orders are re-sorted here, so one that breaks ties its own way (the legacy API
 * orders by date alone) cannot put a page out of order; at worst, when a tie straddles its depth, it
 * decides which of the tied orders makes the cut.
 */
export function mergeOrderPages(sources: readonly OrderPage[], query: Window): OrderPage {
  const count = sources.reduce((sum, source) => sum + source.count, 0);
  const start = (query.page - 1) * query.pageSize;
  assertReachable(count, query);
  const depth = mergeDepth(query);
  const union = sources.flatMap((source) => source.orders.slice(0, depth)).sort(compareOrders);
  return { count, orders: union.slice(start, start + query.pageSize) };
}

/**
 * Refuses a page that holds orders beyond MAX_MERGE_DEPTH, which cannot be paged exactly, rather than
 * answer it wrongly. A page past the end of `count` is fine: it is simply empty.
 */
export function assertReachable(count: number, query: Window): void {
  const start = (query.page - 1) * query.pageSize;
  if (start < count && query.page * query.pageSize > MAX_MERGE_DEPTH) {
    throw codedError(
      ErrorCode.BAD_USER_INPUT,
      `Order history can be paged only to its ${MAX_MERGE_DEPTH}th order`,
      { argument: 'page' },
    );
  }
}
