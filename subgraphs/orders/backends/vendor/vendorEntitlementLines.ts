import type { VendorLineItem } from './dto';

/**
 * Commerce Coordinator's product type key of a course entitlement (catalog_info/edx_utils.py,
 * `extract_ct_product_information_for_braze_canvas`; apps/commercetools/constants.py).
 */
export const ENTITLEMENT_PRODUCT_TYPE = 'edx_course_entitlement';
/** The line item custom field CC sets at fulfilment (`TwoUKeys.LINE_ITEM_LMS_ENTITLEMENT_ID`). */
export const LMS_ENTITLEMENT_FIELD = 'edxLMSEntitlementId';
/** The read expansion that shows a line's product type key. */
export const EXPAND_PRODUCT_TYPES = 'lineItems[*].productType';

type Line = Pick<VendorLineItem, 'variant' | 'productType' | 'custom'>;

/**
 * The course uuid (lower-cased) of an entitlement line, or null for any other line. A line is an
 * entitlement when its product type is `edx_course_entitlement`, or, with the type not expanded, when
 * CC stored an LMS entitlement on it. The course is the variant's SKU: CC passes
 * `get_edx_product_course_run_key(item)` (the SKU) as the entitlement's `course_uuid` to the LMS
 * (sub_messages/tasks.py "For bundle purchases, the course_id is the course_uuid"; lms/tasks.py
 * `fulfill_order_placed_send_entitlement_task`). See docs/reference/vendor-commercetools.md.
 */
export function vendorEntitlementCourseOf(line: Line): string | null {
  const typed = line.productType?.obj?.key === ENTITLEMENT_PRODUCT_TYPE;
  if (!typed && lmsEntitlementIdOf(line) === null) return null;
  const sku = line.variant.sku;
  return sku ? sku.toLowerCase() : null;
}

/** The LMS entitlement uuid CC stored on the line at fulfilment, or null before it (or on a seat). */
export function lmsEntitlementIdOf(line: Pick<VendorLineItem, 'custom'>): string | null {
  const value = line.custom?.fields?.[LMS_ENTITLEMENT_FIELD];
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : null;
}
