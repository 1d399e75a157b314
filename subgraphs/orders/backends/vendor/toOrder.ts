import { moneyFromMinor } from '../../domain/formatMoney';
import type { Money, Order, OrderLine, OrderStatus } from '../../domain/Order';
import { toUtcIso } from '../../domain/toUtcIso';
import type { VendorLineItem, VendorMoney, VendorOrder } from './dto';

// commercetools OrderState (Open | Confirmed | Complete | Cancelled, OrderState.raml) → domain. Any
// other value is UNKNOWN and logged.
const STATUSES: Readonly<Record<string, OrderStatus>> = {
  Open: 'OPEN',
  Confirmed: 'PENDING',
  Complete: 'COMPLETE',
  Cancelled: 'CANCELLED',
};
// States a failed payment overrides: a finished order (complete or cancelled) keeps its own.
const PAYMENT_CAN_FAIL: ReadonlySet<OrderStatus> = new Set(['OPEN', 'PENDING']);

// Locales tried in order for product names and state labels; any other locale beats nothing.
const LOCALES = ['en', 'en-US'];

export interface ToOrderOptions {
  /** Receipt page base; the order number is appended as `?order_number=`. */
  receiptBaseUrl: string;
  /** Told about states we do not map, so they are logged instead of crashing the page. */
  onUnknownStatus?: (status: string, orderNumber: string) => void;
}

/**
 * The domain status: the order's state, except that an order still open or confirmed whose payment
 * failed is PAYMENT_ERROR, as the legacy `Payment Error` it replaces (commercetools keeps payment apart).
 */
function statusOf(dto: VendorOrder): OrderStatus | undefined {
  const status = STATUSES[dto.orderState];
  return status && PAYMENT_CAN_FAIL.has(status) && dto.paymentState === 'Failed' ? 'PAYMENT_ERROR' : status;
}

/** Pure mapping from the commercetools `Order` shape to the domain. */
export function toOrder(dto: VendorOrder, options: ToOrderOptions): Order {
  const status = statusOf(dto);
  if (!status) options.onUnknownStatus?.(dto.orderState, dto.orderNumber);
  const discountMinor = totalDiscountMinor(dto);
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
    discount: discountMinor !== 0 ? moneyFromMinor(discountMinor, dto.totalPrice.currencyCode) : null,
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
    // edX sells a course run under its key as the SKU (docs/reference/vendor-commercetools.md); donations
    // have none.
    courseRunKey: line.variant.sku || null,
  };
}

/**
 * Every discount on the order, in minor units, as Commerce Coordinator adds them up
 * (`calculate_total_discount_on_order`, commerce_coordinator/apps/commercetools/utils.py): the cart
 * discount on the total, line-targeted cart discounts and product discounts. The two line kinds are
 * per unit, so each is multiplied by the units it applies to (CC does not multiply: its lines are all
 * quantity 1). See docs/reference/vendor-commercetools.md, "Discounts".
 */
function totalDiscountMinor(dto: VendorOrder): number {
  let minor = dto.discountOnTotalPrice?.discountedAmount.centAmount ?? 0;
  for (const line of dto.lineItems) {
    for (const portion of line.discountedPricePerQuantity ?? []) {
      const perUnit = portion.discountedPrice.includedDiscounts.reduce(
        (sum, included) => sum + included.discountedAmount.centAmount,
        0,
      );
      minor += perUnit * portion.quantity;
    }
    const discounted = line.price.discounted;
    if (discounted) minor += (line.price.value.centAmount - discounted.value.centAmount) * line.quantity;
  }
  return minor;
}

/**
 * `centAmount` in the currency's own minor units: 4900 USD → "49.00" (never CC's float "49.0"), whether
 * the money is `centPrecision` or `highPrecision` (whose `fractionDigits` describe `preciseAmount`).
 */
function toMoney(money: VendorMoney): Money {
  return moneyFromMinor(money.centAmount, money.currencyCode);
}

function localized(value: Readonly<Record<string, string>>): string | undefined {
  for (const locale of LOCALES) if (value[locale] !== undefined) return value[locale];
  return Object.values(value)[0];
}
