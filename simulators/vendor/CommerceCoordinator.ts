/** One return Commerce Coordinator acted on: the payment refunded, the learner's access revoked. */
export interface ReturnHandled {
  orderNumber: string;
  returnItemId: string;
  lineItemId: string;
  /** The line's SKU: the course run whose enrollment was revoked (an entitlement's: its course uuid). */
  sku: string | null;
  /**
   * The LMS entitlement stored on the line (`edxLMSEntitlementId`), which the return revokes
   * (`revoke_line_items_task` reads it with `get_line_item_lms_entitlement_id`); null on a seat.
   */
  entitlementUuid: string | null;
}

/**
 * What edX's Commerce Coordinator does when commercetools reports a return (`OrderReturnedView` →
 * `fulfill_order_returned_signal_task`, commerce_coordinator/apps/commercetools): refund the payment
 * through the PSP (Stripe or PayPal), set the return item's `paymentState` to `Refunded`
 * (`update_return_payment_state_after_successful_refund`), then revoke the line's enrollment
 * (`revoke_line_items_task`). It runs after the update that added the return, as the real one runs on
 * the order message, and once per return item: a message delivered twice refunds nothing more.
 */
export class CommerceCoordinator {
  readonly handled: ReturnHandled[] = [];
  /** Entitlement uuids revoked, one entry per revocation (so a second one would show). */
  readonly revokedEntitlements: string[] = [];
  /**
   * Where a revoked entitlement goes: the real task asks the Order Fulfillment service, which expires
   * it in the LMS ("If there is an associated entitlement, it will also be expired"). A test wires it
   * to the LMS simulator; unwired, the revocation is only recorded.
   */
  onEntitlementRevoked: (uuid: string) => void = () => undefined;
  private readonly seen = new Set<string>();
  private pending = 0;
  private waiters: (() => void)[] = [];

  /** Schedules the reaction to these new return items; `apply` sets their payment state. */
  onReturned(items: ReturnHandled[], apply: (returnItemIds: string[]) => void): void {
    const fresh = items.filter((item) => !this.seen.has(item.returnItemId));
    if (fresh.length === 0) return;
    for (const item of fresh) this.seen.add(item.returnItemId);
    this.pending++;
    setImmediate(() => {
      this.handled.push(...fresh);
      apply(fresh.map((item) => item.returnItemId));
      // The refund first, then the revocation, as the task orders them.
      for (const item of fresh) {
        if (item.entitlementUuid === null) continue;
        this.revokedEntitlements.push(item.entitlementUuid);
        this.onEntitlementRevoked(item.entitlementUuid);
      }
      if (--this.pending === 0) this.waiters.splice(0).forEach((resolve) => resolve());
    });
  }

  /** Resolves once every scheduled reaction ran: tests wait on this, not on a sleep. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
