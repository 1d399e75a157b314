import type { VendorWritableOrder } from './dto';
import { lmsEntitlementIdOf, vendorEntitlementCourseOf } from './vendorEntitlementLines';

/**
 * A commercetools `ReturnItemDraft` for a line item: `Returned`, the refundable one of the two states a
 * draft may have (docs/reference/vendor-commercetools.md, "Returns").
 */
export interface ReturnItemDraft {
  quantity: number;
  lineItemId: string;
  shipmentState: 'Returned';
}

/**
 * What a refund of `order` would return: every line (or only the seat sold under `courseRunKey`, or
 * only the entitlement line of `courseUuid`) with the quantity not returned yet. Empty when nothing is
 * left, or the order is not Complete (nothing was delivered, so there is nothing to give back), which
 * the caller reports as NOTHING_TO_REFUND.
 */
export function refundableItems(
  order: VendorWritableOrder,
  courseRunKey: string | null,
  courseUuid?: string,
): ReturnItemDraft[] {
  if (order.orderState !== 'Complete') return [];
  const returned = returnedQuantities(order);
  return order.lineItems
    .filter((line) => {
      const entitlementCourse = vendorEntitlementCourseOf(line);
      if (courseUuid !== undefined) return entitlementCourse === courseUuid;
      return courseRunKey === null || (entitlementCourse === null && line.variant.sku === courseRunKey);
    })
    .map((line) => ({
      quantity: line.quantity - (returned.get(line.id) ?? 0),
      lineItemId: line.id,
      shipmentState: 'Returned' as const,
    }))
    .filter((item) => item.quantity > 0);
}

/** Units of each line item (by id) that returns recorded so far. */
export function returnedQuantities(order: Pick<VendorWritableOrder, 'returnInfo'>): Map<string, number> {
  const returned = new Map<string, number>();
  for (const info of order.returnInfo ?? []) {
    for (const item of info.items) {
      if (item.lineItemId)
        returned.set(item.lineItemId, (returned.get(item.lineItemId) ?? 0) + item.quantity);
    }
  }
  return returned;
}

/**
 * Ids of the return items recorded under `returnTrackingId` (where we put the idempotency key, so a
 * refund can be found again after a crash), or of all return items when it is undefined.
 */
export function returnItemIds(order: VendorWritableOrder, returnTrackingId?: string): string[] {
  return (order.returnInfo ?? [])
    .filter((info) => returnTrackingId === undefined || info.returnTrackingId === returnTrackingId)
    .flatMap((info) => info.items.map((item) => item.id));
}

/**
 * What the refund rule reads of the order's lines: the seats' course runs (SKUs), and each entitlement
 * line's course with the LMS entitlement CC stored on it (null before fulfilment). An entitlement line
 * returned in full was refunded and its entitlement revoked (expired): it is nothing left to refund,
 * not a refusal that would block the order's other lines.
 */
export function coursesOf(order: VendorWritableOrder): {
  held: string[];
  entitlementUuids: Record<string, string | null>;
} {
  const skus = new Set<string>();
  const entitlementUuids: Record<string, string | null> = {};
  const returned = returnedQuantities(order);
  for (const line of order.lineItems) {
    const course = vendorEntitlementCourseOf(line);
    if (course !== null && (returned.get(line.id) ?? 0) < line.quantity)
      entitlementUuids[course] ??= lmsEntitlementIdOf(line);
    else if (course === null && line.variant.sku) skus.add(line.variant.sku);
  }
  return { held: [...skus], entitlementUuids };
}
