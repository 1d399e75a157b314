import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import DataLoader from 'dataloader';
import { parse, type GraphQLSchema } from 'graphql';
import { readSubgraphSdl } from '../../schema/readSubgraphSdl';
import { dateTimeScalar } from '../../subgraphs/dateTimeScalar';
import type { LegacyOrder } from '../../subgraphs/orders/backends/legacy/dto';
import { toOrder } from '../../subgraphs/orders/backends/legacy/toOrder';
import type { Order, OrderLine } from '../../subgraphs/orders/domain/Order';

// The plain orders subgraph: our SDL, global fetch to the legacy API with the learner's token, a
// per-request DataLoader for orders by number. The same pure mapping as ours (toOrder), so both stacks
// answer the same data; no validation of the wire shape, no deadline, no breaker, no metrics.

const LEGACY = process.env.LEGACY_ECOMMERCE_URL!;
const RECEIPT_BASE = `${LEGACY}/checkout/receipt/`;

export interface PlainOrdersContext {
  authorization?: string;
  orders: DataLoader<string, Order | null>;
}

async function legacyGet(path: string, authorization: string | undefined): Promise<Response> {
  return fetch(`${LEGACY}${path}`, { headers: authorization ? { authorization } : {} });
}

function mapOrder(dto: LegacyOrder): Order {
  return toOrder(dto, { receiptBaseUrl: RECEIPT_BASE });
}

const resolvers: GraphQLResolverMap<PlainOrdersContext> = {
  DateTime: dateTimeScalar,
  Query: {
    orderHistory: async (
      _root: unknown,
      args: { username?: string | null; page: number; pageSize: number },
      context: PlainOrdersContext,
    ) => {
      const query = new URLSearchParams({ page: String(args.page), page_size: String(args.pageSize) });
      if (args.username) query.set('username', args.username);
      const response = await legacyGet(`/api/v2/orders/?${query}`, context.authorization);
      if (!response.ok) throw new Error(`legacy ecommerce answered ${response.status}`);
      const body = (await response.json()) as { count: number; results: LegacyOrder[] };
      return {
        count: body.count,
        page: args.page,
        pageSize: args.pageSize,
        pageCount: Math.ceil(body.count / args.pageSize),
        orders: body.results.map(mapOrder),
        complete: true,
      };
    },
    order: (_root: unknown, args: { number: string }, context: PlainOrdersContext) =>
      context.orders.load(args.number),
  },
  Order: {
    __resolveReference: (reference: { number: string }, context: PlainOrdersContext) =>
      context.orders.load(reference.number),
  },
  OrderLine: {
    courseRun: (line: OrderLine) => (line.courseRunKey ? { key: line.courseRunKey } : null),
  },
};

/** The plain orders subgraph's schema: our SDL with the resolvers above (stock buildSubgraphSchema). */
export function plainOrdersSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(readSubgraphSdl('orders.graphql')),
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}

/** A request's context: the learner's token forwarded to legacy, a fresh loader of orders by number. */
export function plainOrdersContext(authorization: string | undefined): PlainOrdersContext {
  return {
    authorization,
    orders: new DataLoader((numbers: readonly string[]) =>
      Promise.all(
        numbers.map(async (number) => {
          const response = await legacyGet(`/api/v2/orders/${encodeURIComponent(number)}/`, authorization);
          if (response.status === 404) return null;
          if (!response.ok) throw new Error(`legacy ecommerce answered ${response.status}`);
          return mapOrder((await response.json()) as LegacyOrder);
        }),
      ),
    ),
  };
}
