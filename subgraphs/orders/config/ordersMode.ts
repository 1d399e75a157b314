/**
 * The orders modes: which system's history a user is served (ORDERS_BACKEND, ORDERS_ROLLOUT_BACKEND,
 * ORDERS_SHADOW_BACKEND, the staff override header). A mode is not a backend: "backend" is the port
 * (OrdersBackend) and its adapters; a mode names the history built from them (layers/historiesOf).
 * In their own module so that config parsing and the layers (rollout, shadow) share them without
 * importing one another.
 */
export const ORDERS_MODES = ['legacy', 'vendor', 'merged'] as const;
export type OrdersMode = (typeof ORDERS_MODES)[number];

export function isOrdersMode(value: string): value is OrdersMode {
  return (ORDERS_MODES as readonly string[]).includes(value);
}

/** Modes that read the vendor API, hence need the VENDOR_* configuration. */
export const needsVendor = (mode: OrdersMode): boolean => mode !== 'legacy';
