/**
 * Switchyard's own record of the course runs it has had refunded in each order. The legacy API can
 * neither list refunds nor show an order line's refund lines, and a refund never changes an order's
 * status; but it skips a line that has a refund line (`create_refunds`), so an order whose course was
 * refunded before is not touched by a later refund of that course. This record is how Switchyard
 * knows which those are, for the refunds it made itself.
 */
export interface RefundLedger {
  /** The course runs of this order refunded through Switchyard. */
  refunded(orderNumber: string): Promise<string[]>;
  record(orderNumber: string, courseRunKeys: readonly string[]): Promise<void>;
}
