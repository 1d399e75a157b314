import DataLoader from 'dataloader';
import type { Order, OrderPage } from './domain/Order';
import type { CallContext, OrderPageQuery, OrdersBackend } from './OrdersBackend';

export interface OrdersLoaders {
  orderPage: DataLoader<OrderPageQuery, OrderPage, string>;
  order: DataLoader<string, Order | null>;
}

/**
 * Per-request loaders (never shared: their caches hold one user's data). Orders read through a page
 * are primed into the by-number loader, so an entity lookup later in the same request costs nothing.
 */
export function createOrdersLoaders(
  backend: OrdersBackend,
  context: CallContext,
  maxBatchSize: number,
): OrdersLoaders {
  const order = new DataLoader<string, Order | null>((numbers) => backend.getOrders(numbers, context), {
    maxBatchSize,
  });
  const orderPage = new DataLoader<OrderPageQuery, OrderPage, string>(
    (queries) =>
      Promise.all(
        queries.map(async (query) => {
          const page = await backend.listOrders(query, context);
          for (const o of page.orders) order.prime(o.number, o);
          return page;
        }),
      ),
    { cacheKeyFn: (q) => `${q.username}\u0000${q.page}\u0000${q.pageSize}` },
  );
  return { order, orderPage };
}
