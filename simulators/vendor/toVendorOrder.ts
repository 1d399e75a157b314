import { currencyDigits, lineTotalMinor, totalMinor, type SeedLine, type SeedOrder } from '../seed/SeedOrder';
import { stableId } from './stableId';

/** The `expand` paths the simulator honours; without them references come back as bare `{typeId, id}`. */
export const EXPAND_PAYMENTS = 'paymentInfo.payments[*]';
export const EXPAND_LINE_STATES = 'lineItems[*].state[*].state';
export const EXPAND_PRODUCT_TYPES = 'lineItems[*].productType';
/** Commerce Coordinator's product type key of a course entitlement (catalog_info/edx_utils.py). */
export const ENTITLEMENT_PRODUCT_TYPE = 'edx_course_entitlement';

// Legacy status text → commercetools OrderState (Open|Confirmed|Complete|Cancelled) and PaymentState.
const ORDER_STATES: Readonly<Record<string, [string, string]>> = {
  Complete: ['Complete', 'Paid'],
  Open: ['Open', 'Pending'],
  Pending: ['Confirmed', 'Paid'],
  Cancelled: ['Cancelled', 'CreditOwed'],
  'Fulfillment Error': ['Confirmed', 'Paid'],
  'Payment Error': ['Open', 'Failed'],
};

const DAY_MS = 86_400_000;
// How long after the purchase an imported order was brought over by Order Import.
const IMPORT_LAG_MS = 7 * DAY_MS;

/**
 * When a seed order happened, in commercetools terms. `placedAt` is what the learner saw at checkout.
 * An order made by checkout has only `createdAt` (then); `completedAt` exists only on an order created
 * by Order Import (Order.raml: "Present only on an Order created using Order Import"), where it carries
 * the original purchase time and `createdAt` is the import. Some orders were edited weeks later (a
 * refund, a support note), which moves `lastModifiedAt` and nothing else.
 */
export function vendorTimestamps(order: SeedOrder): {
  createdAt: string;
  completedAt?: string;
  lastModifiedAt: string;
} {
  const placed = Date.parse(order.placedAt);
  const created = order.imported ? placed + IMPORT_LAG_MS : placed;
  const editedLater = (order.number.charCodeAt(order.number.length - 1) & 1) === 1;
  return {
    createdAt: iso(created),
    ...(order.imported ? { completedAt: iso(placed) } : {}),
    lastModifiedAt: iso(created + (editedLater ? 30 * DAY_MS : 5_000)),
  };
}

type MoneyOf = (minor: number) => Record<string, unknown>;

/** Renders a seed order in the commercetools `Order` shape (docs/reference/vendor-commercetools.md). */
export function toVendorOrder(
  order: SeedOrder,
  customerId: string | undefined,
  expand: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  // CentPrecisionMoney: each money value carries its `fractionDigits`, "the number of default fraction
  // digits for the given currency" (CentPrecisionMoney.raml): ISO 4217's, so IDR 2, KWD 3, JPY 0.
  const money: MoneyOf = (minor) => ({
    type: 'centPrecision',
    currencyCode: order.currency,
    centAmount: minor,
    fractionDigits: currencyDigits(order.currency),
  });
  const [orderState, paymentState] = ORDER_STATES[order.status] ?? ['Open', 'Pending'];
  const discountRef = { typeId: 'cart-discount', id: stableId(`cart-discount/${order.voucherCode}`) };
  return {
    id: stableId(`order/${order.number}`),
    version: 3,
    orderNumber: order.number,
    ...(customerId ? { customerId } : {}),
    customerEmail: order.email,
    lineItems: order.lines.map((line, i) => toLineItem(order, line, i, money, expand)),
    customLineItems: [],
    totalPrice: money(totalMinor(order)),
    ...(order.discountMinor > 0
      ? {
          discountOnTotalPrice: {
            discountedAmount: money(order.discountMinor),
            includedDiscounts: [{ discount: discountRef, discountedAmount: money(order.discountMinor) }],
          },
        }
      : {}),
    ...(order.voucherCode
      ? {
          discountCodes: [
            {
              discountCode: { typeId: 'discount-code', id: stableId(order.voucherCode) },
              state: 'MatchesCart',
            },
          ],
        }
      : {}),
    orderState,
    paymentState,
    // Returns recorded by `addReturnInfo` updates (VendorWrites lays them over this).
    returnInfo: [],
    ...(order.paymentProcessor ? { paymentInfo: toPaymentInfo(order, expand) } : {}),
    country: 'US',
    locale: 'en-US',
    origin: 'Customer',
    syncInfo: [],
    refusedGifts: [],
    lastMessageSequenceNumber: 2,
    ...vendorTimestamps(order),
  };
}

function toLineItem(
  order: SeedOrder,
  line: SeedLine,
  index: number,
  money: MoneyOf,
  expand: ReadonlySet<string>,
): Record<string, unknown> {
  const course = line.courseKey
    ?.replace(/^course-v1:/, '')
    .split('+')
    .slice(0, 2)
    .join('+');
  const stateId = stableId(`state/${line.status}`);
  const entitlement = line.entitlement;
  const typeKey = entitlement ? ENTITLEMENT_PRODUCT_TYPE : line.courseKey ? 'edx_course' : 'donation';
  const typeId = stableId(`product-type/${typeKey}`);
  // The SKU of a seat is its course run key; an entitlement's is its course's uuid (CC sends it to the
  // LMS as `course_uuid`); a donation has no SKU at all.
  const sku = entitlement?.courseUuid ?? line.courseKey;
  return {
    id: stableId(`${order.number}/line/${index}`),
    productId: stableId(`product/${line.productId}`),
    productKey: course ?? (entitlement ? `entitlement-${entitlement.courseUuid}` : 'donation'),
    name: { 'en-US': line.title },
    productType: {
      typeId: 'product-type',
      id: typeId,
      ...(expand.has(EXPAND_PRODUCT_TYPES) ? { obj: { id: typeId, key: typeKey } } : {}),
    },
    variant: {
      id: 1,
      ...(sku ? { sku, key: sku } : {}),
      attributes:
        line.courseKey || entitlement
          ? [
              { name: 'mode', value: line.certificateType },
              { name: 'brand-text', value: line.organization },
            ]
          : [],
    },
    // CC stores the LMS entitlement it created on the line at fulfilment (`edxLMSEntitlementId`,
    // `update_line_item_on_fulfillment`): only a fulfilled (Complete) line carries it.
    ...(entitlement && line.status === 'Complete'
      ? {
          custom: {
            type: { typeId: 'type', id: stableId('type/line-item') },
            fields: { edxLMSEntitlementId: entitlement.uuid },
          },
        }
      : {}),
    price: {
      id: stableId(`price/${line.productId}/${line.unitPriceMinor}`),
      value: line.priceFractionDigits
        ? highPrecision(money(line.unitPriceMinor), line.priceFractionDigits, line.unitPricePrecise)
        : money(line.unitPriceMinor),
      ...(line.productDiscountMinor
        ? {
            discounted: {
              value: money(line.unitPriceMinor - line.productDiscountMinor),
              discount: { typeId: 'product-discount', id: stableId(`product-discount/${line.productId}`) },
            },
          }
        : {}),
    },
    quantity: line.quantity,
    // Always a CentPrecisionMoney (LineItem.raml), even when the price is high-precision.
    totalPrice: money(lineTotalMinor(line)),
    discountedPricePerQuantity: line.lineDiscountMinor ? [lineDiscount(order, line, money)] : [],
    state: [
      {
        quantity: line.quantity,
        state: {
          typeId: 'state',
          id: stateId,
          ...(expand.has(EXPAND_LINE_STATES)
            ? {
                obj: {
                  id: stateId,
                  key: `line-${line.status.toLowerCase().replace(/\W+/g, '-')}`,
                  name: { 'en-US': line.status },
                },
              }
            : {}),
        },
      },
    ],
    priceMode: 'Platform',
    lineItemMode: 'Standard',
  };
}

/**
 * The price as HighPrecisionMoney (HighPrecisionMoney.raml): `preciseAmount` is the amount in
 * 1/10^fractionDigits, and `centAmount` its rounding to the currency's own digits ("the API calculates
 * the value automatically using the default rounding mode half even", HighPrecisionMoneyDraft.raml).
 * `precise` absent: the cent amount itself, written out to more digits. Integers only.
 */
function highPrecision(
  cent: Record<string, unknown>,
  fractionDigits: number,
  precise?: number,
): Record<string, unknown> {
  const scale = 10n ** BigInt(fractionDigits - (cent.fractionDigits as number));
  const preciseAmount = precise === undefined ? BigInt(cent.centAmount as number) * scale : BigInt(precise);
  return {
    ...cent,
    type: 'highPrecision',
    centAmount: Number(roundHalfEven(preciseAmount, scale)),
    preciseAmount: Number(preciseAmount),
    fractionDigits,
  };
}

function roundHalfEven(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor;
  const remainder = value % divisor;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  if (twice < divisor || (twice === divisor && quotient % 2n === 0n)) return quotient;
  return quotient + (value < 0n ? -1n : 1n);
}

/**
 * A line-targeted cart discount for every unit of the line (DiscountedLineItemPriceForQuantity): the
 * unit price after it, and what it took off one unit. It applies after a product discount.
 */
function lineDiscount(order: SeedOrder, line: SeedLine, money: MoneyOf): Record<string, unknown> {
  const off = line.lineDiscountMinor ?? 0;
  const unit = line.unitPriceMinor - (line.productDiscountMinor ?? 0);
  const discount = { typeId: 'cart-discount', id: stableId(`cart-discount/line/${order.number}`) };
  return {
    quantity: line.quantity,
    discountedPrice: {
      value: money(unit - off),
      includedDiscounts: [{ discount, discountedAmount: money(off) }],
    },
  };
}

function toPaymentInfo(order: SeedOrder, expand: ReadonlySet<string>): Record<string, unknown> {
  const id = stableId(`payment/${order.number}`);
  const obj = {
    id,
    version: 1,
    paymentMethodInfo: {
      paymentInterface: order.paymentProcessor,
      method: order.paymentProcessor === 'paypal' ? 'paypal' : 'card',
      ...(order.paymentMethod ? { name: { 'en-US': order.paymentMethod } } : {}),
    },
  };
  return { payments: [{ typeId: 'payment', id, ...(expand.has(EXPAND_PAYMENTS) ? { obj } : {}) }] };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
