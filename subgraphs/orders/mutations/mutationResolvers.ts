import type { Identity } from '../../../platform/auth/Identity';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';
import { requireIdentity } from '../../requestBasics';
import type { RefundInput } from '../domain/Refund';
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
    reason?: string | null;
    delivery?: Delivery | null;
  };
}

const MAX_REASON = 500;

function call(context: MutationContext) {
  return {
    identity: requireIdentity(context.identity),
    requestId: context.requestId,
    idempotencyKey: idempotencyKeyFrom(context.idempotencyKeyHeader),
  };
}

/** Thin: parse, call the service, note a replay. */
export const mutationResolvers = {
  Mutation: {
    requestRefund: async (_root: unknown, args: RequestRefundArgs, context: MutationContext) => {
      const reason = args.input.reason ?? null;
      if (reason !== null && reason.length > MAX_REASON) {
        throw codedError(ErrorCode.BAD_USER_INPUT, `reason must be at most ${MAX_REASON} characters`, {
          argument: 'input.reason',
        });
      }
      const input: RefundInput = {
        orderNumber: args.input.orderNumber,
        courseRunKey: args.input.courseRunKey ?? null,
        reason,
      };
      const result = await context.mutations.requestRefund(
        input,
        args.input.delivery ?? 'IMMEDIATE',
        call(context),
      );
      context.replayed ||= result.replayed;
      return result.data;
    },
    fulfillOrder: async (_root: unknown, args: { number: string }, context: MutationContext) => {
      const result = await context.mutations.fulfillOrder(args.number, call(context));
      context.replayed ||= result.replayed;
      return result.data;
    },
  },
  Query: {
    refundRequest: (_root: unknown, args: { id: string }, context: MutationContext) =>
      context.mutations.refundRequest(args.id, requireIdentity(context.identity)),
  },
};
