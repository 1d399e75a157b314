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
}
