import { isCodedFailure } from '../../../../platform/CodedFailure';
import { ErrorCode } from '../../../../platform/ErrorCode';
import type { CallContext } from '../../port/OrdersBackend';

/**
 * Failures of the caller's making: they say nothing about the mode that would have served the read,
 * so a mistyped username or an over-deep query cannot halt a rollout.
 */
const CALLERS: ReadonlySet<string> = new Set([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.REQUEST_BUDGET_EXCEEDED,
  ErrorCode.RATE_LIMITED,
]);

/**
 * Whether a failed history read counts as the mode's error. Upstream failures (unavailable, timeout,
 * 5xx, malformed answers, a throttling vendor) and uncoded errors (a mapping bug) do; the caller's
 * mistakes, and a read abandoned because the caller went away, do not.
 */
export function countsAgainstMode(error: unknown, context: CallContext): boolean {
  if (context.signal?.aborted) return false;
  const code = isCodedFailure(error)
    ? error.code
    : (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code !== 'string' || !CALLERS.has(code);
}
