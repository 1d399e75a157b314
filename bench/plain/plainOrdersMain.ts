import { plainOrdersContext, plainOrdersSchema, type PlainOrdersContext } from './plainOrders';
import { header, servePlain } from './plainServer';

// The plain orders subgraph as its own server (the `plain` stack): plainOrders.ts behind the stock
// standalone server.
void servePlain<PlainOrdersContext>(
  'orders',
  process.env.ORDERS_SUBGRAPH_PORT,
  { schema: plainOrdersSchema() },
  async (req) => plainOrdersContext(header(req.headers, 'authorization')),
);
