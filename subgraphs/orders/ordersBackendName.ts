/**
 * The orders modes, in their own module so that config parsing (ordersConfig, layersConfig) and the
 * layers (rollout, shadow) can share them without importing one another.
 */
export const ORDERS_BACKENDS = ['legacy', 'vendor', 'merged'] as const;
export type OrdersBackendName = (typeof ORDERS_BACKENDS)[number];

export function isOrdersBackendName(value: string): value is OrdersBackendName {
  return (ORDERS_BACKENDS as readonly string[]).includes(value);
}

/** Modes that read the vendor API, hence need the VENDOR_* configuration. */
export const needsVendor = (mode: OrdersBackendName): boolean => mode !== 'legacy';
