import DataLoader from 'dataloader';
import type { Order, OrderPage } from './domain/Order';
import type { CallContext, OrderPageQuery, OrdersBackend } from './port/OrdersBackend';
import { RequestBudget, withRequestBudget } from './budget/RequestBudget';

export interface OrdersLoaders {
  orderPage: DataLoader<OrderPageQuery, OrderPage, string>;
  order: DataLoader<string, Order | null>;
  /** Upstream calls these loaders' reads may still make in this request (budgetedUpstream counts them). */
  budget: RequestBudget;
}

export interface OrdersLoadersOptions {
  /** Most order numbers resolved in one batch (ORDERS_MAX_BATCH_SIZE). */
  maxBatchSize: number;
  /** Upstream calls one request's reads may make (ORDERS_MAX_UPSTREAM_CALLS_PER_REQUEST). */
  maxUpstreamCallsPerRequest: number;
}

/**
 * Per-request loaders (never shared: their caches hold one user's data, and their budget one
 * request's calls). Orders read through a page are primed into the by-number loader, so an entity
 * lookup later in the same request costs nothing. A page that fails (an outage, the budget spent)
 * fails alone: the other pages of the same batch, e.g. other aliases, still answer.
 */
export function createOrdersLoaders(
  backend: OrdersBackend,
  context: CallContext,
  options: OrdersLoadersOptions,
): OrdersLoaders {
  const budget = new RequestBudget(options.maxUpstreamCallsPerRequest);
  const order = new DataLoader<string, Order | null>(
    (numbers) => withRequestBudget(budget, () => backend.getOrders(numbers, context)),
    { maxBatchSize: options.maxBatchSize },
  );
  const orderPage = new DataLoader<OrderPageQuery, OrderPage, string>(
    (queries) =>
      Promise.all(
        queries.map((query) =>
          withRequestBudget(budget, async () => {
            const page = await backend.listOrders(query, context);
            for (const o of page.orders) order.prime(o.number, o);
            return page;
          }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
        ),
      ),
    { cacheKeyFn: (q) => `${q.username}\u0000${q.page}\u0000${q.pageSize}` },
  );
  return { order, orderPage, budget };
}
