/**
 * Whether a refund request's status says the owning system has it: `DELIVERED` (a vendor return, which
 * the vendor side completes on its own), or a legacy refund's own state, `OPEN` (ecommerce creates
 * refunds Open) and, once processed, `APPROVED` or `DENIED` (docs/api.md, "The refund lifecycle").
 * `PENDING` and `FAILED` are the ones that do not.
 */
export function reachedOwner(status: string | undefined): boolean {
  return status === 'DELIVERED' || status === 'OPEN' || status === 'APPROVED' || status === 'DENIED';
}
