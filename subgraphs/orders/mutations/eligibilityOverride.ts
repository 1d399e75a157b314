import type { Identity } from '../../../platform/auth/Identity';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';

/**
 * `overrideEligibility` as RefundInput carries it: present only when true (so the fingerprints of
 * requests that never set it stay as they were), and refused with FORBIDDEN for anyone but staff,
 * before anything is read or written.
 */
export function eligibilityOverride(
  value: boolean | null | undefined,
  identity: Identity | null,
): { overrideEligibility?: true } {
  if (value !== true) return {};
  if (!identity?.isStaff)
    throw codedError(ErrorCode.FORBIDDEN, 'Only staff may override refund eligibility', {
      argument: 'input.overrideEligibility',
    });
  return { overrideEligibility: true };
}
