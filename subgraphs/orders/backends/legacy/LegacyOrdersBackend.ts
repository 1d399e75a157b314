import type { Logger } from 'pino';
import type { z } from 'zod';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import type { Upstream, UpstreamResponse } from '../../../../upstream/Upstream';
import { UpstreamError } from '../../../../upstream/UpstreamError';
import type { Order, OrderPage } from '../../domain/Order';
import type { CallContext, OrderPageQuery, OrdersBackend } from '../../OrdersBackend';
import { legacyOrderPageSchema, legacyOrderSchema, type LegacyOrder } from './dto';
import { toOrder } from './toOrder';

export interface LegacyOrdersBackendOptions {
  upstream: Upstream;
  receiptBaseUrl: string;
  logger: Logger;
}

/**
 * Orders from the legacy ecommerce REST API. Calls are made with the learner's own JWT, so the legacy
 * service applies its owner-or-staff rules too: a second lock behind ours.
 */
export class LegacyOrdersBackend implements OrdersBackend {
  constructor(private readonly options: LegacyOrdersBackendOptions) {}

  async listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    const response = await this.get(
      '/api/v2/orders/',
      { username: query.username, page: query.page, page_size: query.pageSize },
      context,
    );
    if (response.status === 404 && query.page > 1) {
      // DRF answers a page past the end with 404 "Invalid page." and no count. The schema promises the
      // count anyway, so ask for the smallest page: one extra call, only on this rare path.
      const first = await this.listOrders({ ...query, page: 1, pageSize: 1 }, context);
      return { count: first.count, orders: [] };
    }
    this.rejectUnexpected(response);
    const page = this.parse(legacyOrderPageSchema, response.body);
    return { count: page.count, orders: page.results.map((dto) => this.toOrder(dto)) };
  }

  async getOrders(numbers: readonly string[], context: CallContext): Promise<(Order | null)[]> {
    // The legacy API has no batch lookup; the loader has already de-duplicated the numbers.
    return Promise.all(
      numbers.map(async (number) => {
        const response = await this.get(
          `/api/v2/orders/${encodeURIComponent(number)}/`,
          {},
          context,
          '/api/v2/orders/{number}/',
        );
        // 404 covers both "no such order" and "someone else's order": the API does not tell them apart, nor do we.
        if (response.status === 404) return null;
        this.rejectUnexpected(response);
        return this.toOrder(this.parse(legacyOrderSchema, response.body));
      }),
    );
  }

  private get(path: string, query: Record<string, string | number>, context: CallContext, route?: string) {
    return this.options.upstream.request({
      method: 'GET',
      path,
      route,
      query,
      headers: { authorization: `JWT ${context.identity.token}`, 'x-request-id': context.requestId },
      signal: context.signal,
      staleScope: context.identity.username,
    });
  }

  private rejectUnexpected(response: UpstreamResponse): void {
    if (response.status === 401)
      throw codedError(ErrorCode.UNAUTHENTICATED, 'The ecommerce service rejected the credentials');
    if (response.status === 403) throw codedError(ErrorCode.FORBIDDEN, 'Not allowed to read these orders');
    if (response.status >= 300) {
      throw new UpstreamError(
        this.options.upstream.name,
        ErrorCode.UPSTREAM_ERROR,
        `${this.options.upstream.name} answered ${response.status}`,
        {
          status: response.status,
        },
      );
    }
  }

  private toOrder(dto: LegacyOrder): Order {
    try {
      return toOrder(dto, {
        receiptBaseUrl: this.options.receiptBaseUrl,
        onUnknownStatus: (status, number) =>
          this.options.logger.warn({ status, orderNumber: number }, 'unknown legacy order status'),
      });
    } catch (error) {
      throw this.malformed(error);
    }
  }

  private parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
    const result = schema.safeParse(body);
    if (!result.success) throw this.malformed(result.error);
    return result.data;
  }

  private malformed(cause: unknown): UpstreamError {
    const name = this.options.upstream.name;
    return new UpstreamError(name, ErrorCode.UPSTREAM_ERROR, `${name} returned a malformed body`, {
      cause: cause instanceof Error ? cause.message.slice(0, 300) : String(cause),
    });
  }
}
