import { z } from 'zod';
import type { RefundOutcome } from '../../domain/Refund';

/** The part of `RefundSerializer` a process answer is read for. */
export const processedRefundSchema = z.object({ status: z.string() });

/**
 * An ecommerce refund status (ecommerce/extensions/refund/status.py `REFUND`) in the schema's terms:
 * whether money went back. `Payment Refunded` and `Revocation Error` have refunded the payment with the
 * seat not (yet) revoked: APPROVED, said in `lastError`; `Payment Refund Error` refunded nothing: OPEN.
 */
export function refundOutcomeOf(status: string): { status: RefundOutcome; lastError: string | null } {
  switch (status) {
    case 'Complete':
      return { status: 'APPROVED', lastError: null };
    case 'Denied':
      return { status: 'DENIED', lastError: null };
    case 'Payment Refunded':
    case 'Revocation Error':
      return { status: 'APPROVED', lastError: `payment refunded, seat not revoked (${status})` };
    case 'Payment Refund Error':
      return { status: 'OPEN', lastError: 'the payment processor refused the refund (Payment Refund Error)' };
    default:
      return { status: 'OPEN', lastError: status === 'Open' ? null : `unknown refund status ${status}` };
  }
}
