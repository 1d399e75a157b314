import {
  currencyDigits,
  decimalOfUnits,
  discountsOf,
  subtotalMinor,
  totalMinor,
  type SeedDiscount,
  type SeedOrder,
} from '../seed/SeedOrder';

/**
 * DRF DecimalField(decimal_places=2) renders every amount with two places, yen included: Oscar stores
 * order amounts as `DecimalField(decimal_places=2, max_digits=12)`. Exact (integers, never a float);
 * an amount needing a third place (a KWD price in fils) cannot be stored there, so the seed must not
 * hold one.
 */
export const drfDecimal = (minor: number, currency: string): string => {
  const digits = currencyDigits(currency);
  if (digits <= 2) return decimalOfUnits(BigInt(minor) * 10n ** BigInt(2 - digits), 2);
  const scale = 10n ** BigInt(digits - 2);
  if (BigInt(minor) % scale !== 0n)
    throw new Error(`${minor} minor units of ${currency} do not fit Oscar's two decimal places`);
  return decimalOfUnits(BigInt(minor) / scale, 2);
};

/**
 * Renders a seed order in the legacy `OrderSerializer` shape (docs/reference/legacy-ecommerce.md):
 * `discount` is the first OrderDiscount only and `basket_discounts` lists them all; a line's
 * `line_price_excl_tax` is after the discounts Oscar spread over the lines, and its
 * `unit_price_excl_tax` may be null.
 */
export function toLegacyOrder(order: SeedOrder, baseUrl: string): Record<string, unknown> {
  const money = (minor: number) => drfDecimal(minor, order.currency);
  const discounts = discountsOf(order);
  const linePrices = discountedLinePrices(order);
  return {
    basket_discounts: discounts.map((d) => toBasketDiscount(d, order.currency)),
    billing_address: order.paymentProcessor
      ? {
          first_name: 'Ada',
          last_name: order.username,
          line1: '1 Main St',
          line2: '',
          postcode: '02135',
          state: 'MA',
          country: 'US',
          city: 'Boston',
        }
      : null,
    contains_credit_seat: false,
    currency: order.currency,
    date_placed: order.placedAt,
    dashboard_url: 'http://localhost:18000/dashboard',
    // get_discount: str() of the first OrderDiscount's amount (a 2-place Decimal), '0' when none.
    discount: discounts[0] ? money(discounts[0].amountMinor) : '0',
    enable_hoist_order_history: false,
    enterprise_learner_portal_url: null,
    lines: order.lines.map((line, i) => ({
      title: line.title,
      quantity: line.quantity,
      course_organization: line.organization,
      description: line.description,
      status: line.status,
      line_price_excl_tax: money(linePrices[i]!),
      unit_price_excl_tax: line.unitPriceUnrecorded ? null : money(line.unitPriceMinor),
      product: {
        id: line.productId,
        url: `${baseUrl}/api/v2/products/${line.productId}/`,
        structure: 'child',
        product_class: line.entitlement ? 'Course Entitlement' : line.courseKey ? 'Seat' : 'Donation',
        title: line.title,
        price: money(line.unitPriceMinor),
        expires: null,
        // An entitlement product's attributes (ecommerce/entitlements/utils.py): `certificate_type` and
        // the course's `UUID` (the product class's attribute, renamed from course_key in catalogue 0026).
        attribute_values: line.entitlement
          ? [
              { name: 'certificate_type', code: 'certificate_type', value: line.certificateType },
              { name: 'UUID', code: 'UUID', value: line.entitlement.courseUuid },
            ]
          : line.courseKey
            ? [
                { name: 'certificate_type', code: 'certificate_type', value: line.certificateType },
                { name: 'course_key', code: 'course_key', value: line.courseKey },
                {
                  name: 'id_verification_required',
                  code: 'id_verification_required',
                  value: line.certificateType === 'verified',
                },
              ]
            : [],
        is_available_to_buy: true,
        is_enrollment_code_product: false,
        stockrecords: [
          {
            id: line.productId,
            product: line.productId,
            partner: 1,
            partner_sku: `SKU${line.productId}`,
            price_currency: order.currency,
            price: money(line.unitPriceMinor),
          },
        ],
      },
    })),
    number: order.number,
    order_product_ids: order.lines.map((l) => l.productId).join(','),
    payment_processor: order.paymentProcessor,
    payment_method: order.paymentMethod,
    product_tracking: null,
    status: order.status,
    total_before_discounts_incl_tax: money(subtotalMinor(order)),
    total_excl_tax: money(totalMinor(order)),
    user: { email: order.email, username: order.username },
    vouchers: order.voucherCode ? [toLegacyVoucher(order, baseUrl)] : [],
  };
}

/**
 * One `basket_discounts` entry (`get_basket_discounts`): `amount` and the voucher's `benefit_value`
 * are raw Decimals there, which DRF's JSON encoder writes as numbers, in the currency's own units.
 */
function toBasketDiscount(discount: SeedDiscount, currency: string): Record<string, unknown> {
  const voucher = discount.code !== null;
  return {
    // A JSON number, as DRF's encoder writes float(Decimal): the nearest double to the exact amount.
    amount: Number(decimalOfUnits(discount.amountMinor, currencyDigits(currency))),
    benefit_value: voucher ? 10 : null,
    code: discount.code,
    condition_name: discount.conditionName,
    contains_offer: true,
    currency,
    enterprise_customer_name: null,
    offer_type: discount.offerType,
  };
}

/**
 * Each line's `line_price_excl_tax`: Oscar's OrderCreator stores the basket line's price *after*
 * discounts there (`line_price_excl_tax_incl_discounts`; the price before them is the unserialized
 * `line_price_before_discounts_excl_tax`). The order's discounts are spread over its lines in
 * proportion to their prices, the last priced line taking the rounding remainder, as Oscar's
 * AbsoluteDiscountBenefit apportions a discount; so the lines still add up to `total_excl_tax`.
 */
function discountedLinePrices(order: SeedOrder): number[] {
  const prices = order.lines.map((line) => line.unitPriceMinor * line.quantity);
  const subtotal = prices.reduce((sum, price) => sum + price, 0);
  if (subtotal === 0 || order.discountMinor === 0) return prices;
  const last = prices.findLastIndex((price) => price > 0);
  let left = order.discountMinor;
  return prices.map((price, i) => {
    const share = i === last ? left : Math.round((price * order.discountMinor) / subtotal);
    left -= share;
    return price - share;
  });
}

/** `VoucherSerializer` (docs/reference/legacy-ecommerce.md), for the voucher an order used. */
function toLegacyVoucher(order: SeedOrder, baseUrl: string): Record<string, unknown> {
  const code = order.voucherCode!;
  const own = discountsOf(order).find((d) => d.code === code);
  const discount = drfDecimal(own?.amountMinor ?? 0, order.currency);
  return {
    id: voucherId(code),
    name: code,
    code,
    redeem_url: `${baseUrl}/coupons/offer/?code=${encodeURIComponent(code)}`,
    usage: 'Multi-use',
    start_datetime: '2020-01-01T00:00:00Z',
    end_datetime: '2030-01-01T00:00:00Z',
    num_basket_additions: 1,
    num_orders: 1,
    total_discount: discount,
    date_created: '2020-01-01',
    offers: [voucherId(code)],
    // Oscar's `(is_available, message)` pair, as DRF renders a tuple.
    is_available_to_user: [false, 'This coupon code is no longer available.'],
    benefit: { type: 'Absolute', value: Number(discount) },
    is_public: false,
  };
}

/** A stable small id per code, as a database row id would be. */
function voucherId(code: string): number {
  let hash = 0;
  for (const char of code) hash = (hash * 31 + char.charCodeAt(0)) % 100_000;
  return hash + 1;
}
