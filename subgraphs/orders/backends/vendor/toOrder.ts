import {
  addAmounts,
  isZero,
  subtractAmounts,
  timesCount,
  ZERO,
  type DecimalAmount,
} from '../../domain/DecimalAmount';
import { toMoney } from '../../domain/formatMoney';
import type { Order, OrderLine, OrderStatus } from '../../domain/Order';
import { toUtcIso } from '../../domain/toUtcIso';
import type { VendorLineItem, VendorOrder } from './dto';
import { vendorEntitlementCourseOf } from './vendorEntitlementLines';
import { fallbackDigits, vendorAmount, vendorCurrency, vendorMoney } from './vendorMoney';

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
  const discount = totalDiscount(dto);
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
    total: vendorMoney(dto.totalPrice),
    discount: isZero(discount)
      ? null
      : toMoney(discount, vendorCurrency(dto.totalPrice.currencyCode), fallbackDigits(dto.totalPrice)),
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
  const courseUuid = vendorEntitlementCourseOf(line);
  return {
    title,
    description: title,
    quantity: line.quantity,
    unitPrice: vendorMoney(line.price.value),
    // The line's own total (quantity and line discounts applied), not the unit price CC sent twice.
    linePrice: vendorMoney(line.totalPrice),
    status: (state && localized(state)) ?? null,
    // edX sells a course run under its key as the SKU (docs/reference/vendor-commercetools.md); donations
    // have none; an entitlement's SKU is its course's uuid, not a run.
    courseRunKey: courseUuid !== null ? null : line.variant.sku || null,
    // Only on entitlement lines, as the legacy mapping does.
    ...(courseUuid !== null ? { courseUuid } : {}),
  };
}

/**
 * Every discount on the order, exactly, as Commerce Coordinator adds them up
 * (`calculate_total_discount_on_order`, commerce_coordinator/apps/commercetools/utils.py): the cart
 * discount on the total, line-targeted cart discounts and product discounts. The two line kinds are
 * per unit, so each is multiplied by the units it applies to (CC does not multiply: its lines are all
 * quantity 1). Each amount is read at its own precision (vendorAmount), so a high-precision price's
 * product discount keeps its sub-cent digits. See docs/reference/vendor-commercetools.md, "Discounts".
 */
function totalDiscount(dto: VendorOrder): DecimalAmount {
  const onTotal = dto.discountOnTotalPrice?.discountedAmount;
  let total = onTotal ? vendorAmount(onTotal) : ZERO;
  for (const line of dto.lineItems) {
    for (const portion of line.discountedPricePerQuantity ?? []) {
      const perUnit = portion.discountedPrice.includedDiscounts.reduce(
        (sum, included) => addAmounts(sum, vendorAmount(included.discountedAmount)),
        ZERO,
      );
      total = addAmounts(total, timesCount(perUnit, portion.quantity));
    }
    const discounted = line.price.discounted;
    if (discounted) {
      const perUnit = subtractAmounts(vendorAmount(line.price.value), vendorAmount(discounted.value));
      total = addAmounts(total, timesCount(perUnit, line.quantity));
    }
  }
  return total;
}

function localized(value: Readonly<Record<string, string>>): string | undefined {
  for (const locale of LOCALES) if (value[locale] !== undefined) return value[locale];
  return Object.values(value)[0];
}
