/**
 * What the refund rule needs to know about an order, read from the system that owns it, as the caller
 * may see it (docs/reference/legacy-ecommerce.md, "Refund eligibility").
 */
export interface RefundFacts {
  orderNumber: string;
  /** Username of the learner who placed the order: whose certificate counts. */
  owner: string;
  /** When the learner bought (ISO-8601 UTC): the LMS's `date_placed`. */
  placedAt: string;
  /** The course runs this refund would cover (all of the order's, or the one asked for). */
  courseRunKeys: string[];
  /**
   * The course uuids of the order's entitlement lines the refund covers (legacy: a `Course
   * Entitlement` product's `UUID`); absent or empty when it covers none.
   */
  entitlementCourseUuids?: string[];
  /**
   * Set by a system whose order itself names each entitlement line's LMS entitlement (vendor: the line
   * item's custom field `edxLMSEntitlementId`, written at fulfilment): lower-cased course uuid → that
   * uuid, or null while the line has none. The rule then reads the LMS entitlement by its uuid instead
   * of matching order number and course. Absent: the system does not show it (legacy).
   */
  entitlementUuids?: Readonly<Record<string, string | null>>;
}

/**
 * What admitting a refund learned that the write needs: the LMS entitlement uuid of each entitlement
 * line, by lower-cased course uuid (ecommerce refunds an entitlement by `entitlement_uuid`, which its
 * order API does not show). Kept in memory for the one request, never stored.
 */
export interface RefundAdmission {
  entitlements: Readonly<Record<string, string>>;
}
