import type { Order } from '../../subgraphs/orders/domain/Order';
import type { CallContext, OrderHistorySource } from '../../subgraphs/orders/port/OrdersBackend';

// The schema's largest page: the fewest calls that every backend serves as it would for a learner.
const PAGE_SIZE = 100;

export interface WholeHistory {
  /** The total the backend reported. */
  count: number;
  /** Every order, newest first, all pages concatenated. */
  orders: Order[];
}

/**
 * Every page of a user's history from one backend. A partial page (a merged history missing a failed
 * system) is an error here: comparing it would report that system's orders as missing.
 */
export async function readWholeHistory(
  history: OrderHistorySource,
  username: string,
  context: CallContext,
): Promise<WholeHistory> {
  const orders: Order[] = [];
  let count = 0;
  for (let page = 1; page === 1 || (page - 1) * PAGE_SIZE < count; page++) {
    const result = await history.listOrders({ username, page, pageSize: PAGE_SIZE }, context);
    const failure = result.failures?.[0];
    if (failure) throw failure;
    count = result.count;
    orders.push(...result.orders);
    if (result.orders.length === 0) break;
  }
  return { count, orders };
}
