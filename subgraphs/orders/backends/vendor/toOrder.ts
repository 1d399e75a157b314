import { moneyFromMinor } from '../../domain/formatMoney';
import type { Money, Order, OrderLine, OrderStatus } from '../../domain/Order';
import { toUtcIso } from '../../domain/toUtcIso';
import type { VendorLineItem, VendorMoney, VendorOrder } from './dto';

// commercetools OrderState → domain. Cancelled has no domain status yet, so it falls through to
// UNKNOWN and is logged like any state we do not know (a schema change is a separate decision).
const STATUSES: Readonly<Record<string, OrderStatus>> = {
  Open: 'OPEN',
  Confirmed: 'PENDING',
  Complete: 'COMPLETE',
};

// Locales tried in order for product names and state labels; any other locale beats nothing.
const LOCALES = ['en', 'en-US'];

export interface ToOrderOptions {
  /** Receipt page base; the order number is appended as `?order_number=`. */
  receiptBaseUrl: string;
  /** Told about states we do not map, so they are logged instead of crashing the page. */
  onUnknownStatus?: (status: string, orderNumber: string) => void;
}

/**
 * The domain status: the order's state, except that an order not yet complete whose payment failed is
 * PAYMENT_ERROR, as the legacy `Payment Error` it replaces (commercetools keeps payment apart).
 */
function statusOf(dto: VendorOrder): OrderStatus | undefined {
  const status = STATUSES[dto.orderState];
  return status && status !== 'COMPLETE' && dto.paymentState === 'Failed' ? 'PAYMENT_ERROR' : status;
}

/** Pure mapping from the commercetools `Order` shape to the domain. */
export function toOrder(dto: VendorOrder, options: ToOrderOptions): Order {
  const status = statusOf(dto);
  if (!status) options.onUnknownStatus?.(dto.orderState, dto.orderNumber);
  const discount = dto.discountOnTotalPrice ? toMoney(dto.discountOnTotalPrice.discountedAmount) : null;
  const receipt = new URL(options.receiptBaseUrl);
  receipt.searchParams.set('order_number', dto.orderNumber);
  const payment = dto.paymentInfo?.payments.at(-1)?.obj?.paymentMethodInfo;
  return {
    number: dto.orderNumber,
    // When the learner bought, not when the order last changed. commercetools sets `completedAt` only
    // on imported orders, where it carries the original purchase time (`createdAt` is the import);
    // otherwise `createdAt` is checkout. Never `lastModifiedAt`: every later edit (a refund, a note)
    // moves it, so the history would reorder itself — Commerce Coordinator did exactly that.
    placedAt: toUtcIso(dto.completedAt ?? dto.createdAt),
    status: status ?? 'UNKNOWN',
    total: toMoney(dto.totalPrice),
    discount: discount && !/^0(\.0+)?$/.test(discount.amount) ? discount : null,
    // The last payment is the one that settled the order (earlier ones may have failed), as CC reads it.
    paymentMethod: (payment?.name && localized(payment.name)) ?? payment?.method ?? null,
    receiptUrl: receipt.toString(),
    lines: dto.lineItems.map(toOrderLine),
  };
}

function toOrderLine(line: VendorLineItem): OrderLine {
  const title = localized(line.name);
  if (title === undefined) throw new RangeError('line item without a name');
  const state = line.state?.[0]?.state.obj?.name;
  return {
    title,
    description: title,
    quantity: line.quantity,
    unitPrice: toMoney(line.price.value),
    // The line's own total (quantity and line discounts applied), not the unit price CC sent twice.
    linePrice: toMoney(line.totalPrice),
    status: (state && localized(state)) ?? null,
    // edX sells a course run under its key as the SKU (upstream-apis.md §4); donations have none.
    courseRunKey: line.variant.sku || null,
  };
}

/** Money with the digits the vendor declared: 4900 cents → "49.00", never CC's float "49.0". */
function toMoney(money: VendorMoney): Money {
  return moneyFromMinor(money.centAmount, money.fractionDigits, money.currencyCode);
}

function localized(value: Readonly<Record<string, string>>): string | undefined {
  for (const locale of LOCALES) if (value[locale] !== undefined) return value[locale];
  return Object.values(value)[0];
}
