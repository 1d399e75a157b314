import { formatMoney } from '../../domain/formatMoney';
import type { Money, Order, OrderLine, OrderStatus } from '../../domain/Order';
import { toUtcIso } from '../../domain/toUtcIso';
import type { LegacyLine, LegacyOrder } from './dto';
import { entitlementCourseUuidOf } from './entitlementLines';
import { sumDecimals } from './sumDecimals';

const STATUSES: Readonly<Record<string, OrderStatus>> = {
  Open: 'OPEN',
  Pending: 'PENDING',
  Complete: 'COMPLETE',
  'Fulfillment Error': 'FULFILLMENT_ERROR',
  'Payment Error': 'PAYMENT_ERROR',
};

export interface ToOrderOptions {
  /** Receipt page base; the order number is appended as `?order_number=`. */
  receiptBaseUrl: string;
  /** Told about statuses we do not know, so they are logged instead of crashing the page. */
  onUnknownStatus?: (status: string, orderNumber: string) => void;
}

/** Pure mapping from the legacy `OrderSerializer` shape to the domain. */
export function toOrder(dto: LegacyOrder, options: ToOrderOptions): Order {
  const status = STATUSES[dto.status];
  if (!status) options.onUnknownStatus?.(dto.status, dto.number);
  const discount = totalDiscount(dto);
  const receipt = new URL(options.receiptBaseUrl);
  receipt.searchParams.set('order_number', dto.number);
  return {
    number: dto.number,
    // The legacy API sends `%Y-%m-%dT%H:%M:%SZ`.
    placedAt: toUtcIso(dto.date_placed),
    status: status ?? 'UNKNOWN',
    total: formatMoney(dto.total_excl_tax, dto.currency),
    // The serializer sends "0" when there is no discount; the schema says null for that.
    discount: discount && !/^0(\.0+)?$/.test(discount.amount) ? discount : null,
    paymentMethod: dto.payment_method ?? null,
    receiptUrl: receipt.toString(),
    lines: dto.lines.map((line) => toOrderLine(line, dto.currency)),
  };
}

function toOrderLine(line: LegacyLine, currency: string): OrderLine {
  const courseUuid = entitlementCourseUuidOf(line);
  const courseKey = line.product?.attribute_values?.find((a) => (a.code ?? a.name) === 'course_key')?.value;
  return {
    title: line.title,
    description: line.description,
    quantity: line.quantity,
    // Not derived from linePrice / quantity: that is after discounts, so it would be a wrong price.
    unitPrice: line.unit_price_excl_tax === null ? null : formatMoney(line.unit_price_excl_tax, currency),
    linePrice: formatMoney(line.line_price_excl_tax, currency),
    status: line.status ?? null,
    courseRunKey: typeof courseKey === 'string' && courseKey !== '' ? courseKey : null,
    // Only on entitlement lines: every other line reads as it did before the field existed.
    ...(courseUuid !== null ? { courseUuid } : {}),
  };
}

/**
 * The order's whole discount: the sum of `basket_discounts`, since `discount` is only the first
 * OrderDiscount (`get_discount` in ecommerce's api/serializers.py) and an order can carry several (a
 * voucher and a site offer). `discount` stands in only when an older ecommerce sends no list.
 */
function totalDiscount(dto: LegacyOrder): Money | null {
  const amount = dto.basket_discounts
    ? sumDecimals(dto.basket_discounts.map((d) => d.amount))
    : (dto.discount ?? null);
  return amount === null ? null : formatMoney(amount, dto.currency);
}
