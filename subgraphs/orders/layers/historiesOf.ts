import type { Logger } from 'pino';
import type { OrderSystems } from '../backends/createOrderSystems';
import { ORDERS_MODES, type OrdersMode } from '../config/ordersMode';
import type { OrderHistorySource } from '../port/OrdersBackend';
import { MergedOrderHistory } from './merged/MergedOrderHistory';

/**
 * The one place that maps a mode to the history it serves. Exhaustive: a new mode will not compile
 * until handled here. Null for a mode these systems cannot serve (vendor or merged without a vendor).
 */
export function historiesOf(
  systems: Pick<OrderSystems, 'legacy' | 'vendor'>,
  logger: Logger,
): Readonly<Record<OrdersMode, OrderHistorySource | null>> {
  const historyOf = (mode: OrdersMode): OrderHistorySource | null => {
    switch (mode) {
      case 'legacy':
        return systems.legacy;
      case 'vendor':
        return systems.vendor;
      case 'merged':
        return (
          systems.vendor && new MergedOrderHistory({ systems: [systems.legacy, systems.vendor], logger })
        );
      default:
        return assertNever(mode);
    }
  };
  return Object.freeze(
    Object.fromEntries(ORDERS_MODES.map((mode) => [mode, historyOf(mode)])) as Record<
      OrdersMode,
      OrderHistorySource | null
    >,
  );
}

function assertNever(value: never): never {
  throw new Error(`unhandled orders mode: ${String(value)}`);
}
