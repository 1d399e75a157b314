import { createSeed, DEFAULT_LEARNERS, DEFAULT_SEED } from '../simulators/seed/createSeed';

/**
 * The first page of the order-history MFE (docs/reference/upstream-apis.md §2): the fields it reads or derives,
 * plus `courseRun { title }` so every request also crosses into the catalog subgraph.
 */
export const ORDER_HISTORY_QUERY = `query OrderHistory($page: Int!) {
  orderHistory(page: $page, pageSize: 20) {
    count
    pageCount
    orders {
      number
      placedAt
      status
      total { amount currency }
      receiptUrl
      lines { title quantity description courseRun { title } }
    }
  }
}`;

/** The request body for one page of the query (the MFE's first load is page 1). */
export function orderHistoryBody(page: number): string {
  return JSON.stringify({ operationName: 'OrderHistory', query: ORDER_HISTORY_QUERY, variables: { page } });
}

export const ORDER_HISTORY_BODY = orderHistoryBody(1);

/** The page size ORDER_HISTORY_QUERY asks for. */
export const ORDER_HISTORY_PAGE_SIZE = 20;

/**
 * learner1…learner`learners` minus those with no orders (learner2, and whoever the seed gave none):
 * an empty history skips the catalog entirely and would flatter the numbers. Read from the same seed
 * the simulator process uses (SIMULATOR_LEARNERS = `learners`), so the list cannot drift from what it serves.
 */
export function learnersWithOrders(learners = DEFAULT_LEARNERS): string[] {
  const counts = new Map<string, number>();
  for (const order of createSeed(DEFAULT_SEED, { learners }).orders)
    counts.set(order.username, (counts.get(order.username) ?? 0) + 1);
  return Array.from({ length: learners }, (_, i) => `learner${i + 1}`).filter(
    (u) => (counts.get(u) ?? 0) > 0,
  );
}
