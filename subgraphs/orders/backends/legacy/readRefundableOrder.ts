import { z } from 'zod';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import { parseBody } from '../../../../upstream/parseBody';
import type { WriteContext } from '../../port/OrderWrites';
import { legacyProductSchema } from './dto';
import type { LegacyWriteClient } from './LegacyWriteClient';

// The order as the refund logic reads it: whose it is, its state, and the course run of each line.
export const refundableOrderSchema = z.object({
  number: z.string(),
  status: z.string(),
  date_placed: z.string(),
  user: z.object({ username: z.string() }),
  lines: z.array(z.object({ product: legacyProductSchema, line_price_excl_tax: z.string().optional() })),
});
export type RefundableOrder = z.infer<typeof refundableOrderSchema>;

/**
 * The order as the caller may see it: learners change their own orders, staff any. The check is
 * made HERE as well as upstream, because a service identity (the refund worker's) may read and
 * change any order there; someone else's order looks exactly like a missing one.
 */
export async function readRefundableOrder(
  client: LegacyWriteClient,
  number: string,
  context: WriteContext,
): Promise<RefundableOrder> {
  const response = await client.send(
    {
      method: 'GET',
      path: `/api/v2/orders/${encodeURIComponent(number)}/`,
      route: '/api/v2/orders/{number}/',
    },
    context,
  );
  if (response.status === 404) throw codedError(ErrorCode.NOT_FOUND, 'No such order');
  client.rejectUnexpected(response, 200);
  const order = parseBody(client.upstreamName, refundableOrderSchema, response.body);
  if (!context.identity.isStaff && order.user.username !== context.identity.username)
    throw codedError(ErrorCode.NOT_FOUND, 'No such order');
  return order;
}
