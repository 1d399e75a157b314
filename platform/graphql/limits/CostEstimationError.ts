/**
 * The operation breaks a demand-control rule that makes its cost unknowable, e.g. a field whose
 * `@listSize` requires exactly one slicing argument got none or two. Apollo Router refuses such an
 * operation too (docs/reference/demand-control.md); the caller answers it as bad input.
 */
export class CostEstimationError extends Error {
  override readonly name = 'CostEstimationError';
}
