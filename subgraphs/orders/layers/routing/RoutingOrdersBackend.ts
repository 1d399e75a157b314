import type { Order, OrderPage } from '../../domain/Order';
import type {
  CallContext,
  OrderHistorySource,
  OrderPageQuery,
  OrdersBackend,
} from '../../port/OrdersBackend';

export interface RoutingOrdersBackendOptions {
  /** Serves `listOrders`: the history of the configured mode (legacy, vendor or merged). */
  history: OrderHistorySource;
  legacy: OrdersBackend;
  /** Null when no vendor is configured (legacy mode): its numbers then name no order. */
  vendor: OrdersBackend | null;
  /** Numbers the legacy system issued, e.g. `^EDX-\d+$`; every other number is the vendor's. */
  legacyNumberPattern: RegExp;
}

/**
 * Single orders go to the system that issued them, judged by the number's shape, whatever the mode:
 * an order placed before a switch must stay reachable after it. Listing is the mode's business.
 */
export class RoutingOrdersBackend implements OrdersBackend {
  constructor(private readonly options: RoutingOrdersBackendOptions) {}

  listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    return this.options.history.listOrders(query, context);
  }

  async getOrders(numbers: readonly string[], context: CallContext): Promise<(Order | null | Error)[]> {
    const { legacy, vendor, legacyNumberPattern } = this.options;
    const isLegacy = numbers.map((n) => legacyNumberPattern.test(n));
    const legacyNumbers = numbers.filter((_, i) => isLegacy[i]);
    const vendorNumbers = numbers.filter((_, i) => !isLegacy[i]);
    // Each system answers for its own numbers: one being down fails only those slots.
    const [fromLegacy, fromVendor] = await Promise.all([
      settle(legacy, legacyNumbers, context),
      vendor ? settle(vendor, vendorNumbers, context) : vendorNumbers.map(() => null),
    ]);
    let [l, v] = [0, 0];
    return isLegacy.map((legacyNumber) => (legacyNumber ? fromLegacy[l++] : fromVendor[v++]) ?? null);
  }
}

async function settle(
  backend: OrdersBackend,
  numbers: readonly string[],
  context: CallContext,
): Promise<(Order | null | Error)[]> {
  if (numbers.length === 0) return [];
  try {
    return await backend.getOrders(numbers, context);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return numbers.map(() => failure);
  }
}
