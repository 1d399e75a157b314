import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { ErrorCode } from '../../platform/ErrorCode';
import { codedError } from '../../platform/codedError';
import { dateTimeScalar } from '../dateTimeScalar';
import { requireKey } from '../requireKey';
import type { Order, OrderLine } from './domain/Order';
import { mutationResolvers } from './mutations/mutationResolvers';
import { authorized, type OrdersContext } from './OrdersContext';

interface OrderHistoryArgs {
  username?: string | null;
  page: number;
  pageSize: number;
}

/** Thin by design: validate, authorise, ask a loader. Backends and their choice live elsewhere. */
export const ordersResolvers: GraphQLResolverMap<OrdersContext> = {
  DateTime: dateTimeScalar,
  Mutation: mutationResolvers.Mutation,
  Query: {
    refundRequest: mutationResolvers.Query.refundRequest,
    orderHistory: async (
      _root: unknown,
      args: OrderHistoryArgs,
      context: OrdersContext,
      info: GraphQLResolveInfo,
    ) => {
      const { identity, loaders } = authorized(context);
      // page and pageSize are within their bounds already (schema/argumentBounds.ts).
      const username = args.username ?? identity.username;
      if (username !== identity.username && !identity.isStaff) {
        throw codedError(ErrorCode.FORBIDDEN, "Only staff may read another user's orders");
      }
      const page = await loaders.orderPage.load({ username, page: args.page, pageSize: args.pageSize });
      // A system that failed in a merged history: the page still answers, and the response says why not all.
      const failures = page.failures ?? [];
      const path = responsePathAsArray(info.path);
      for (const error of failures) context.partialFailures.push({ error, path });
      return {
        complete: failures.length === 0,
        count: page.count,
        page: args.page,
        pageSize: args.pageSize,
        pageCount: Math.ceil(page.count / args.pageSize),
        orders: page.orders,
      };
    },
    order: (_root: unknown, args: { number: string }, context: OrdersContext) => {
      return authorized(context).loaders.order.load(args.number);
    },
  },
  Order: {
    // `_entities` takes any JSON as a representation: a missing key is the caller's mistake, said so,
    // not a DataLoader TypeError. Async, so a refusal fails that representation only, not its batch.
    __resolveReference: async (
      reference: { number?: unknown },
      context: OrdersContext,
    ): Promise<Order | null> => {
      const { loaders } = authorized(context);
      return loaders.order.load(requireKey(reference.number, 'Order', 'number'));
    },
  },
  OrderLine: {
    courseRun: (line: OrderLine) =>
      line.courseRunKey ? { __typename: 'CourseRun', key: line.courseRunKey } : null,
  },
};
