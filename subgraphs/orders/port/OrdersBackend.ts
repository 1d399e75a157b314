import type { CallContext } from '../../CallContext';
import type { Order, OrderPage } from '../domain/Order';

export type { CallContext };

export interface OrderPageQuery {
  /** Whose orders; already authorised by the resolver (self, or any user for staff). */
  username: string;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/**
 * The port every orders backend implements (legacy, vendor, merged, and layers such as rollout).
 * Backends enforce that a learner only ever sees their own orders: `getOrders` returns null for an
 * order the caller may not see, exactly as for one that does not exist.
 */
export interface OrdersBackend {
  /** Newest first. A page past the end resolves to no orders with the right `count`. */
  listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage>;
  /**
   * Batch-first: the result is aligned with `numbers`, null where not found or not visible. An Error
   * in a slot fails just that number (its system is down) while the others still resolve.
   */
  getOrders(numbers: readonly string[], context: CallContext): Promise<(Order | null | Error)[]>;
}

/** The listing half of the port: what a history mode provides (legacy, vendor, merged). */
export type OrderHistorySource = Pick<OrdersBackend, 'listOrders'> & {
  /**
   * True when orders placed at the same instant come back ordered by number, as the merged history
   * orders them (compareOrders). A source that does not promise it (the legacy API sorts by date
   * alone) is read a little past each cut, so a tie straddling the cut cannot pick the wrong orders.
   */
  readonly tiesOrderedByNumber?: boolean;
};
