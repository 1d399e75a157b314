import { data } from 'currency-codes';

/**
 * A backend-neutral order: each simulator renders it in its own wire shape, so the same logical
 * orders can live in the legacy and the vendor system (contract tests, shadow comparison).
 * Money is in minor units of the currency as ISO 4217 counts them (currencyDigits: cents for USD, yen
 * for JPY, fils for KWD, sen for IDR) so no float ever touches it.
 */
export interface SeedLine {
  productId: number;
  title: string;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  /** Course run key; null for products that are not course seats (donations, entitlements). */
  courseKey: string | null;
  /**
   * The line bought a course entitlement. Legacy: product class `Course Entitlement`, no course key,
   * whose product names the course by `UUID`, and whose order line carries the LMS entitlement's uuid
   * as its `course_entitlement` attribute, which OrderSerializer does not show
   * (docs/reference/legacy-ecommerce.md, "Entitlements"). Vendor: product type
   * `edx_course_entitlement`, the course uuid as the variant's SKU, and the LMS entitlement's uuid in
   * the line's custom field `edxLMSEntitlementId` once fulfilled (docs/reference/vendor-commercetools.md).
   */
  entitlement?: { courseUuid: string; uuid: string };
  certificateType: string | null;
  organization: string | null;
  status: string;
  // Vendor-only pricing detail, absent on legacy orders (the legacy simulator ignores it). Amounts are
  // per unit, in minor units, as commercetools states them (docs/reference/vendor-commercetools.md).
  /** The unit price is sent as `highPrecision` money with this many fraction digits (> the currency's). */
  priceFractionDigits?: number;
  /**
   * With `priceFractionDigits`: the exact unit price, in 1/10^priceFractionDigits (commercetools'
   * `preciseAmount`), when it has more digits than `unitPriceMinor` (which is then its rounding).
   */
  unitPricePrecise?: number;
  /** A product discount: `price.discounted` is the unit price less this. */
  productDiscountMinor?: number;
  /** A cart discount targeting this line: one `discountedPricePerQuantity` entry for every unit. */
  lineDiscountMinor?: number;
  /**
   * Legacy only: the legacy system recorded no unit price for this line, as its order line's
   * `unit_price_excl_tax` allows (nullable in Oscar; docs/reference/legacy-ecommerce.md). Other
   * systems still show `unitPriceMinor`.
   */
  unitPriceUnrecorded?: boolean;
}

/** One discount applied to an order: a voucher's (with its code) or an automatic offer's (none). */
export interface SeedDiscount {
  code: string | null;
  amountMinor: number;
  /** The offer's condition name, e.g. `Site-wide sale`. */
  conditionName: string;
  /** Oscar's ConditionalOffer type: `Voucher`, `Site`, `User` or `Session`. */
  offerType: 'Voucher' | 'Site' | 'User' | 'Session';
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
  /**
   * Legacy only: the discounts one by one when there are several (a voucher and a site offer),
   * summing to `discountMinor`. Absent: one voucher discount of `discountMinor` when `voucherCode` is set.
   */
  discounts?: SeedDiscount[];
  paymentProcessor: string | null;
  paymentMethod: string | null;
  /**
   * Vendor only: the order reached the vendor by Order Import (a migration), not by checkout. Only
   * such orders carry `completedAt` there (Order.raml).
   */
  imported?: boolean;
}

/**
 * The currency's minor-unit digits per ISO 4217 (the `currency-codes` package's copy of the list), as
 * commercetools counts a `centAmount` ("the smallest indivisible unit of a currency", Money.raml; IDR
 * and HUF 2, where `Intl`'s CLDR tables say 0) and as the seed counts its minor units.
 */
export function currencyDigits(currency: string): number {
  const digits = ISO_DIGITS.get(currency);
  if (digits === undefined) throw new Error(`seed currency ${currency} is not in ISO 4217`);
  return digits;
}
const ISO_DIGITS = new Map(data.map((record) => [record.code, record.digits]));

/** `minor` units of 1/10^`digits` as an exact decimal string with `digits` places: (150050, 2) → "1500.50". */
export function decimalOfUnits(minor: number | bigint, digits: number): string {
  const units = BigInt(minor);
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, '0');
  const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${decimal}` : decimal;
}

export const subtotalMinor = (order: SeedOrder) =>
  order.lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);

/** A line's total after its per-unit discounts (commercetools LineItem `totalPrice`). */
export const lineTotalMinor = (line: SeedLine) =>
  (line.unitPriceMinor - (line.productDiscountMinor ?? 0) - (line.lineDiscountMinor ?? 0)) * line.quantity;

/** What was paid: the lines after their own discounts, less the discount on the total. */
export const totalMinor = (order: SeedOrder) =>
  order.lines.reduce((sum, line) => sum + lineTotalMinor(line), 0) - order.discountMinor;

/** The order's discounts one by one, in the order they were applied (legacy `discount` is the first). */
export function discountsOf(order: SeedOrder): SeedDiscount[] {
  if (order.discounts) return order.discounts;
  if (!order.voucherCode) return [];
  const code = order.voucherCode;
  return [{ code, amountMinor: order.discountMinor, conditionName: code, offerType: 'Voucher' }];
}
