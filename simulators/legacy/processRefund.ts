import type { Identity } from '../../platform/auth/Identity';
import type { SimRequest, SimResponse } from '../kit/createSimulator';
import type { LegacyRefund } from './LegacyRefund';

/** What processing a refund did outside ecommerce: the money, and the learner's seat. */
export interface RefundSideEffects {
  /** Refunds whose credit went back to the payment processor (`_issue_credit`). */
  credited: number[];
  /** Seats revoked (`revoke_fulfillment_for_refund` → the LMS unenrolls): `username␀course`. */
  revokedSeats: string[];
  /**
   * Entitlements revoked (CourseEntitlementFulfillmentModule.revoke_line → `DELETE` of the LMS
   * entitlement, ecommerce/extensions/fulfillment/modules.py): `username␀entitlement uuid`.
   */
  revokedEntitlements: string[];
}

/** `RefundSerializer` (`fields = '__all__'`): the refund's own columns. */
export function renderRefund(refund: LegacyRefund): Record<string, unknown> {
  return {
    id: refund.id,
    created: refund.createdAt,
    modified: refund.modifiedAt,
    total_credit_excl_tax: refund.totalCredit,
    currency: refund.currency,
    status: refund.status,
    order: refund.orderId,
    user: refund.userId,
  };
}

/**
 * `PUT /api/v2/refunds/{pk}/process/` as RefundProcessView answers it (ecommerce
 * extensions/api/v2/views/refunds.py; the model rules in extensions/refund/models.py): staff only
 * (IsAdminUser, 403 otherwise); `action` lower-cased must be `approve`, `approve_payment_only` or
 * `deny`, else 400 "The action [x] is not valid."; an unknown pk 404. `approve` issues the credit
 * (Open → Payment Refunded), then revokes the seat (→ Complete); `approve_payment_only` skips the
 * revocation (→ Complete); approving a Complete refund does nothing and succeeds; a Denied one cannot
 * be approved. `deny` only from Open (`can_deny`: the initial status); denying a Denied one succeeds.
 * 200 with the serialized refund when it worked, 500 with it when it did not.
 */
export function processRefund(
  who: Identity,
  request: SimRequest,
  refunds: readonly LegacyRefund[],
  effects: RefundSideEffects,
  now: () => string,
): SimResponse {
  if (!who.isStaff)
    return { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
    string,
    unknown
  >;
  const action = (typeof body.action === 'string' ? body.action : '').toLowerCase();
  if (!['approve', 'approve_payment_only', 'deny'].includes(action))
    return { status: 400, body: { detail: `The action [${action}] is not valid.` } };
  const refund = refunds.find((r) => String(r.id) === request.params[0]);
  if (!refund) return { status: 404, body: { detail: 'Not found.' } };
  const ok = action === 'deny' ? deny(refund) : approve(refund, action === 'approve', effects);
  refund.modifiedAt = now();
  return { status: ok ? 200 : 500, body: renderRefund(refund) };
}

function approve(refund: LegacyRefund, revoke: boolean, effects: RefundSideEffects): boolean {
  if (refund.status === 'Complete') return true;
  if (refund.status === 'Denied') return false;
  if (refund.status === 'Open' || refund.status === 'Payment Refund Error') {
    effects.credited.push(refund.id);
    refund.status = 'Payment Refunded';
  }
  if (revoke && (refund.status === 'Payment Refunded' || refund.status === 'Revocation Error')) {
    for (const course of refund.courseKeys) effects.revokedSeats.push(`${refund.username}\u0000${course}`);
    for (const uuid of refund.entitlementUuids ?? [])
      effects.revokedEntitlements.push(`${refund.username}\u0000${uuid}`);
    refund.status = 'Complete';
  }
  if (!revoke && refund.status === 'Payment Refunded') refund.status = 'Complete';
  return refund.status === 'Complete';
}

function deny(refund: LegacyRefund): boolean {
  if (refund.status === 'Denied') return true;
  if (refund.status !== 'Open') return false;
  refund.status = 'Denied';
  return true;
}
