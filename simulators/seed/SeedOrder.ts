/**
 * A backend-neutral order: each simulator renders it in its own wire shape, so the same logical
 * orders can live in the legacy and the vendor system (contract tests, shadow comparison).
 * Money is in minor units of the currency (cents; yen for JPY) so no float ever touches it.
 */
export interface SeedLine {
  productId: number;
  title: string;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  /** Course run key; null for products that are not course seats (donations). */
  courseKey: string | null;
  certificateType: string | null;
  organization: string | null;
  status: string;
}

export interface SeedOrder {
  number: string;
  username: string;
  email: string;
  placedAt: string;
  /**
   * Legacy status text: Open, Pending, Complete, Fulfillment Error, Payment Error (or something odd);
   * vendor seeds may also say Cancelled. Each simulator maps it to its own states.
   */
  status: string;
  currency: string;
  lines: SeedLine[];
  discountMinor: number;
  voucherCode: string | null;
  paymentProcessor: string | null;
  paymentMethod: string | null;
}

export const CURRENCY_DIGITS: Readonly<Record<string, number>> = { USD: 2, EUR: 2, GBP: 2, JPY: 0 };

export const subtotalMinor = (order: SeedOrder) =>
  order.lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);

export const totalMinor = (order: SeedOrder) => subtotalMinor(order) - order.discountMinor;
