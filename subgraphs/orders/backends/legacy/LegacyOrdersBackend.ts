import type { Logger } from 'pino';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import { expectStatus } from '../../../../upstream/expectStatus';
import { malformedBody, parseBody } from '../../../../upstream/parseBody';
import type { Upstream, UpstreamResponse } from '../../../../upstream/Upstream';
import { isUpstreamError } from '../../../../upstream/UpstreamError';
import type { Order, OrderPage } from '../../domain/Order';
import type { CallContext, OrderPageQuery, OrdersBackend } from '../../port/OrdersBackend';
import { legacyOrderPageSchema, legacyOrderSchema, type LegacyOrder } from './dto';
import { toOrder } from './toOrder';

export interface LegacyOrdersBackendOptions {
  upstream: Upstream;
  receiptBaseUrl: string;
  logger: Logger;
}

/**
 * Orders from the legacy ecommerce REST API. Calls are made with the learner's own JWT, so the legacy
 * service applies its owner-or-staff rules too: a second lock behind ours — and its throttle, 75
 * requests a minute per user (docs/reference/legacy-ecommerce.md). What one GraphQL request may spend
 * of that is the request's upstream budget (RequestBudget): a history page costs one call, each
 * `order(number)` not already read through a page one more.
 */
export class LegacyOrdersBackend implements OrdersBackend {
  constructor(private readonly options: LegacyOrdersBackendOptions) {}

  async listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    try {
      return await this.listPage(query, context);
    } catch (error) {
      throw clientFacing(error);
    }
  }

  private async listPage(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    const response = await this.get(
      '/api/v2/orders/',
      { username: query.username, page: query.page, page_size: query.pageSize },
      context,
    );
    if (response.status === 404 && query.page > 1) {
      // DRF answers a page past the end with 404 "Invalid page." and no count. The schema promises the
      // count anyway, so ask for the smallest page: one extra call, only on this rare path.
      const first = await this.listPage({ ...query, page: 1, pageSize: 1 }, context);
      return { count: first.count, orders: [] };
    }
    this.rejectUnexpected(response);
    const page = parseBody(this.options.upstream.name, legacyOrderPageSchema, response.body);
    return { count: page.count, orders: page.results.map((dto) => this.toOrder(dto)) };
  }

  async getOrders(numbers: readonly string[], context: CallContext): Promise<(Order | null | Error)[]> {
    // The legacy API has no batch lookup; the loader has already de-duplicated the numbers. Settled
    // one by one: a number refused (the request's upstream budget spent, the learner throttled) fails
    // its own field, not the lookups that were answered.
    const settled = await Promise.allSettled(numbers.map((number) => this.getOne(number, context)));
    return settled.map((result) =>
      result.status === 'fulfilled' ? result.value : clientFacing(result.reason),
    );
  }

  private async getOne(number: string, context: CallContext): Promise<Order | null> {
    const response = await this.get(
      `/api/v2/orders/${encodeURIComponent(number)}/`,
      {},
      context,
      '/api/v2/orders/{number}/',
    );
    // 404 covers both "no such order" and "someone else's order": the API does not tell them apart, nor do we.
    if (response.status === 404) return null;
    this.rejectUnexpected(response);
    return this.toOrder(parseBody(this.options.upstream.name, legacyOrderSchema, response.body));
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
    expectStatus(this.options.upstream.name, response, 200);
  }

  private toOrder(dto: LegacyOrder): Order {
    try {
      return toOrder(dto, {
        receiptBaseUrl: this.options.receiptBaseUrl,
        onUnknownStatus: (status, number) =>
          this.options.logger.warn({ status, orderNumber: number }, 'unknown legacy order status'),
      });
    } catch (error) {
      throw malformedBody(this.options.upstream.name, error);
    }
  }
}

/**
 * A throttled learner (429) is told when to come back: UPSTREAM_RATE_LIMITED leaves as a coded
 * GraphQL error carrying `retryAfter`. Being no longer an UpstreamError, it is no outage to merged
 * history either: a merged history whose legacy read is throttled fails as a whole (with the wait)
 * instead of answering with the vendor's orders alone. Every other failure stays an UpstreamError,
 * which merged history counts as one system down.
 */
function clientFacing(error: unknown): Error {
  if (isUpstreamError(error) && error.code === ErrorCode.UPSTREAM_RATE_LIMITED) return error.toGraphQLError();
  return error instanceof Error ? error : new Error(String(error));
}
