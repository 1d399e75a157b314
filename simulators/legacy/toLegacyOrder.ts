import { CURRENCY_DIGITS, subtotalMinor, totalMinor, type SeedOrder } from '../seed/SeedOrder';

/** DRF DecimalField(decimal_places=2) renders every amount with two places, yen included. */
export const drfDecimal = (minor: number, currency: string): string => {
  const digits = CURRENCY_DIGITS[currency] ?? 2;
  const value = minor / 10 ** digits;
  return value.toFixed(2);
};

/** Renders a seed order in the legacy `OrderSerializer` shape (upstream-apis.md §1.2). */
export function toLegacyOrder(order: SeedOrder, baseUrl: string): Record<string, unknown> {
  const money = (minor: number) => drfDecimal(minor, order.currency);
  return {
    basket_discounts: order.voucherCode
      ? [
          {
            // A raw Decimal in the serializer, so a JSON number in the currency's own units.
            amount: order.discountMinor / 10 ** (CURRENCY_DIGITS[order.currency] ?? 2),
            benefit_value: 10,
            code: order.voucherCode,
            condition_name: null,
            contains_offer: true,
            currency: order.currency,
            enterprise_customer_name: null,
            offer_type: 'Voucher',
          },
        ]
      : [],
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
    discount: order.discountMinor > 0 ? money(order.discountMinor) : '0',
    enable_hoist_order_history: false,
    enterprise_learner_portal_url: null,
    lines: order.lines.map((line) => ({
      title: line.title,
      quantity: line.quantity,
      course_organization: line.organization,
      description: line.description,
      status: line.status,
      line_price_excl_tax: money(line.unitPriceMinor * line.quantity),
      unit_price_excl_tax: money(line.unitPriceMinor),
      product: {
        id: line.productId,
        url: `${baseUrl}/api/v2/products/${line.productId}/`,
        structure: 'child',
        product_class: line.courseKey ? 'Seat' : 'Donation',
        title: line.title,
        price: money(line.unitPriceMinor),
        expires: null,
        attribute_values: line.courseKey
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

/** `VoucherSerializer` (upstream-apis.md §1.2), for the voucher an order used. */
function toLegacyVoucher(order: SeedOrder, baseUrl: string): Record<string, unknown> {
  const code = order.voucherCode!;
  const discount = drfDecimal(order.discountMinor, order.currency);
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
