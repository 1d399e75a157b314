import type { Identity } from '../../../platform/auth/Identity';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import type { IdempotentResult } from '../../../idempotency/runIdempotent';
import { isReplayedError } from '../../../idempotency/ReplayedError';
import { requireIdentity } from '../../requestBasics';
import type { RefundAction, RefundInput } from '../domain/Refund';
import { eligibilityOverride } from './eligibilityOverride';
import { idempotencyKeyFrom } from './idempotencyKeyFrom';
import type { Delivery, OrderMutations } from './OrderMutations';

/** The parts of the orders context mutations use. */
export interface MutationContext {
  identity: Identity | null;
  requestId: string;
  /** Raw `Idempotency-Key` header (forwarded by the gateway). */
  idempotencyKeyHeader: string | undefined;
  mutations: OrderMutations;
  /** Set when the answer came from the idempotency record; becomes `Idempotent-Replayed: true`. */
  replayed: boolean;
}

interface RequestRefundArgs {
  input: {
    orderNumber: string;
    courseRunKey?: string | null;
    courseUuid?: string | null;
    reason?: string | null;
    delivery?: Delivery | null;
    alsoRefund?: string[] | null;
    overrideEligibility?: boolean | null;
  };
}

function call(context: MutationContext) {
  return {
    identity: requireIdentity(context.identity),
    requestId: context.requestId,
    idempotencyKey: idempotencyKeyFrom(context.idempotencyKeyHeader),
  };
}

/**
 * Notes a replay on the context, for a stored success and a stored error alike: both answers come
 * from the record, so both are marked (header and extension) by the markReplayed plugin.
 */
async function answer<T>(context: MutationContext, run: () => Promise<IdempotentResult<T>>): Promise<T> {
  try {
    const result = await run();
    context.replayed ||= result.replayed;
    return result.data;
  } catch (error) {
    if (isReplayedError(error)) context.replayed = true;
    throw error;
  }
}

/** Thin: parse, call the service, note a replay. */
export const mutationResolvers = {
  Mutation: {
    requestRefund: async (_root: unknown, args: RequestRefundArgs, context: MutationContext) => {
      // Lengths and list sizes were checked before any resolver ran (schema/argumentBounds.ts).
      const reason = args.input.reason ?? null;
      const alsoRefund = args.input.alsoRefund ?? [];
      const courseUuid = args.input.courseUuid?.toLowerCase();
      if (courseUuid !== undefined && args.input.courseRunKey != null)
        throw codedError(ErrorCode.BAD_USER_INPUT, 'Name a course run or a course entitlement, not both', {
          argument: 'input.courseUuid',
        });
      const input: RefundInput = {
        orderNumber: args.input.orderNumber,
        courseRunKey: args.input.courseRunKey ?? null,
        ...(courseUuid !== undefined ? { courseUuid } : {}),
        reason,
        ...(alsoRefund.length > 0 ? { alsoRefund: [...new Set(alsoRefund)].sort() } : {}),
        ...eligibilityOverride(args.input.overrideEligibility, context.identity),
      };
      return answer(context, () =>
        context.mutations.requestRefund(input, args.input.delivery ?? 'IMMEDIATE', call(context)),
      );
    },
    fulfillOrder: (_root: unknown, args: { number: string }, context: MutationContext) =>
      answer(context, () => context.mutations.fulfillOrder(args.number, call(context))),
    processRefund: (
      _root: unknown,
      args: { input: { id: string; action: RefundAction } },
      context: MutationContext,
    ) =>
      answer(context, () => context.mutations.processRefund(args.input.id, args.input.action, call(context))),
  },
  Query: {
    refundRequest: (_root: unknown, args: { id: string }, context: MutationContext) =>
      context.mutations.refundRequest(args.id, requireIdentity(context.identity)),
  },
};
