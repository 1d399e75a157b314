import type { Logger } from 'pino';
import { z } from 'zod';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../../../upstream/Upstream';
import { UpstreamError } from '../../../../upstream/UpstreamError';
import type { Order } from '../../domain/Order';
import type { RefundInput, RefundReceipt } from '../../domain/Refund';
import type { OrderWrites, WriteContext } from '../../OrderWrites';
import { legacyOrderSchema } from './dto';
import { toOrder } from './toOrder';

const ownerSchema = z.object({ user: z.object({ username: z.string() }).nullable().optional() });
const refundListSchema = z.object({
  results: z.array(
    z.object({ id: z.number(), order_number: z.string(), course_id: z.string().nullable().optional() }),
  ),
});

export interface LegacyOrderWritesOptions {
  upstream: Upstream;
  receiptBaseUrl: string;
  logger: Logger;
}

/**
 * Refunds (`POST /api/v2/refunds/`) and fulfilment (`PUT /api/v2/orders/{n}/fulfill/`) on the legacy
 * API, with the caller's own JWT. Writes are sent once: the kit never retries a non-idempotent call
 * after bytes may have left.
 */
export class LegacyOrderWrites implements OrderWrites {
  constructor(private readonly options: LegacyOrderWritesOptions) {}

  async requestRefund(input: RefundInput, context: WriteContext): Promise<RefundReceipt> {
    const username = await this.ownerOf(input.orderNumber, context);
    const response = await this.send(
      {
        method: 'POST',
        path: '/api/v2/refunds/',
        body: {
          username,
          order_number: input.orderNumber,
          ...(input.courseRunKey ? { course_id: input.courseRunKey } : {}),
        },
      },
      context,
    );
    if (response.status === 200)
      throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has nothing left to refund');
    this.rejectUnexpected(response, 201);
    const ids = z.array(z.number()).safeParse(response.body);
    if (!ids.success) throw this.malformed();
    return { orderNumber: input.orderNumber, refundIds: ids.data.map(String) };
  }

  async findRefund(input: RefundInput, context: WriteContext): Promise<RefundReceipt | null> {
    const username = await this.ownerOf(input.orderNumber, context);
    const response = await this.send(
      { method: 'GET', path: '/api/v2/refunds/', query: { username, order_number: input.orderNumber } },
      context,
    );
    this.rejectUnexpected(response, 200);
    const list = refundListSchema.safeParse(response.body);
    if (!list.success) throw this.malformed();
    const matching = list.data.results.filter(
      (r) => input.courseRunKey === null || r.course_id === input.courseRunKey,
    );
    return matching.length
      ? { orderNumber: input.orderNumber, refundIds: matching.map((r) => String(r.id)) }
      : null;
  }

  async fulfillOrder(number: string, context: WriteContext): Promise<Order> {
    const response = await this.send(
      {
        method: 'PUT',
        path: `/api/v2/orders/${encodeURIComponent(number)}/fulfill/`,
        route: '/api/v2/orders/{number}/fulfill/',
      },
      context,
    );
    if (response.status === 406)
      throw codedError(ErrorCode.ORDER_NOT_FULFILLABLE, 'This order is not in a state that can be fulfilled');
    this.rejectUnexpected(response, 200);
    const dto = legacyOrderSchema.safeParse(response.body);
    if (!dto.success) throw this.malformed();
    return toOrder(dto.data, { receiptBaseUrl: this.options.receiptBaseUrl });
  }

  async findFulfilled(number: string, context: WriteContext): Promise<Order | null> {
    const response = await this.send(
      {
        method: 'GET',
        path: `/api/v2/orders/${encodeURIComponent(number)}/`,
        route: '/api/v2/orders/{number}/',
      },
      context,
    );
    this.rejectUnexpected(response, 200);
    const dto = legacyOrderSchema.safeParse(response.body);
    if (!dto.success) throw this.malformed();
    const order = toOrder(dto.data, { receiptBaseUrl: this.options.receiptBaseUrl });
    return order.status === 'COMPLETE' ? order : null;
  }

  /** Learners refund their own orders; staff act for the order's owner, whom the order names. */
  private async ownerOf(number: string, context: WriteContext): Promise<string> {
    const response = await this.send(
      {
        method: 'GET',
        path: `/api/v2/orders/${encodeURIComponent(number)}/`,
        route: '/api/v2/orders/{number}/',
      },
      context,
    );
    if (response.status === 404) throw codedError(ErrorCode.NOT_FOUND, 'No such order');
    this.rejectUnexpected(response, 200);
    const owner = ownerSchema.safeParse(response.body);
    return owner.success && owner.data.user ? owner.data.user.username : context.identity.username;
  }

  private async send(request: UpstreamRequest, context: WriteContext): Promise<UpstreamResponse> {
    const fields = {
      upstream: this.options.upstream.name,
      method: request.method,
      path: request.path,
      requestId: context.requestId,
    };
    context.audit('upstream attempt', fields);
    try {
      const response = await this.options.upstream.request({
        ...request,
        headers: {
          authorization: `JWT ${context.identity.token}`,
          'x-request-id': context.requestId,
          'idempotency-key': context.idempotencyKey,
        },
        signal: context.signal,
      });
      context.audit('upstream answered', { ...fields, status: response.status });
      return response;
    } catch (error) {
      context.audit('upstream failed', { ...fields, code: (error as UpstreamError).code });
      throw error;
    }
  }

  private rejectUnexpected(response: UpstreamResponse, expected: number): void {
    if (response.status === expected) return;
    if (response.status === 401)
      throw codedError(ErrorCode.UNAUTHENTICATED, 'The ecommerce service rejected the credentials');
    if (response.status === 403) throw codedError(ErrorCode.FORBIDDEN, 'Not allowed to change this order');
    if (response.status === 400)
      throw codedError(ErrorCode.BAD_USER_INPUT, 'The ecommerce service refused the request');
    if (response.status === 404) throw codedError(ErrorCode.NOT_FOUND, 'No such order');
    throw new UpstreamError(
      this.options.upstream.name,
      ErrorCode.UPSTREAM_ERROR,
      `${this.options.upstream.name} answered ${response.status}`,
      { status: response.status },
    );
  }

  private malformed(): UpstreamError {
    return new UpstreamError(
      this.options.upstream.name,
      ErrorCode.UPSTREAM_ERROR,
      `${this.options.upstream.name} returned a malformed body`,
    );
  }
}
