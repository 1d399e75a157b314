import type { Logger } from 'pino';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import type { Upstream } from '../../../../upstream/Upstream';
import { UpstreamError } from '../../../../upstream/UpstreamError';
import type { Order, OrderPage } from '../../domain/Order';
import type { CallContext, OrderPageQuery, OrdersBackend } from '../../OrdersBackend';
import { mergeDepth, mergeOrderPages } from '../merged/mergeOrderPages';
import { vendorCustomerPageSchema, vendorOrderPageSchema, type VendorOrder } from './dto';
import { toOrder } from './toOrder';
import { malformed, VendorApi, type VendorParams } from './VendorApi';
import type { VendorTokenProvider } from './VendorTokenProvider';

export interface VendorOrdersBackendOptions {
  api: Upstream;
  tokens: VendorTokenProvider;
  projectKey: string;
  receiptBaseUrl: string;
  logger: Logger;
}

// commercetools' largest page; deeper reads are split into pages of this size.
const MAX_LIMIT = 500;
const EXPAND: VendorParams = [
  ['expand', 'paymentInfo.payments[*]'],
  ['expand', 'lineItems[*].state[*].state'],
];

/**
 * A history sorted by `placedAt` = completedAt ?? createdAt (see toOrder), which the API cannot sort by
 * directly: orders with `completedAt` are sorted on it, the others on `createdAt`, and the two streams
 * are merged like two systems. Ties are broken by number, as the merge does.
 */
const STREAMS: readonly VendorParams[] = [
  [
    ['where', 'completedAt is defined'],
    ['sort', 'completedAt desc'],
    ['sort', 'orderNumber asc'],
  ],
  [
    ['where', 'completedAt is not defined'],
    ['sort', 'createdAt desc'],
    ['sort', 'orderNumber asc'],
  ],
];

/**
 * Orders from the commercetools-shaped vendor API. It is called with our service credential, which
 * can read every customer's orders, so authorization is enforced HERE: a learner only ever gets orders
 * whose `customerId` is the customer carrying their own username; staff may read anyone's. An order of
 * someone else comes back exactly like one that does not exist.
 */
export class VendorOrdersBackend implements OrdersBackend {
  /** Both streams sort ties by order number (STREAMS) and are merged with compareOrders. */
  readonly tiesOrderedByNumber = true;
  private readonly http: VendorApi;

  constructor(private readonly options: VendorOrdersBackendOptions) {
    this.http = new VendorApi(options.api, options.tokens, options.projectKey);
  }

  async listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    // The resolver has already refused this; checked again here because our service credential could
    // read anyone's orders, so this adapter must never be the one that leaks them.
    const { identity } = context;
    if (!identity.isStaff && query.username !== identity.username) {
      throw codedError(ErrorCode.FORBIDDEN, "Only staff may read another user's orders");
    }
    const customerId = await this.customerIdOf(query.username, context);
    if (customerId === null) return { count: 0, orders: [] };
    const owner: VendorParams = [
      ['where', 'customerId = :customerId'],
      ['var.customerId', customerId],
    ];
    const depth = mergeDepth(query);
    const streams = await Promise.all(
      STREAMS.map((stream) => this.readNewest([...owner, ...stream], depth, context)),
    );
    return mergeOrderPages(streams, query);
  }

  async getOrders(numbers: readonly string[], context: CallContext): Promise<(Order | null)[]> {
    const { identity } = context;
    const [ownerId, page] = await Promise.all([
      identity.isStaff ? null : this.customerIdOf(identity.username, context),
      // Numbers go in as input variables, never spliced into the predicate: they come from the client.
      this.http.get(
        'orders',
        [
          ['where', 'orderNumber in :numbers'],
          ...numbers.map((n) => ['var.numbers', n] as const),
          ['limit', numbers.length],
          ['withTotal', 'false'],
          ...EXPAND,
        ],
        vendorOrderPageSchema,
        context,
      ),
    ]);
    const byNumber = new Map(page.results.map((dto) => [dto.orderNumber, dto]));
    return numbers.map((number) => {
      const dto = byNumber.get(number);
      const visible = dto && (identity.isStaff || (ownerId !== null && dto.customerId === ownerId));
      return visible ? this.toOrder(dto) : null;
    });
  }

  /** The newest `depth` orders of one stream, in pages of at most 500, and the stream's total. */
  private async readNewest(stream: VendorParams, depth: number, context: CallContext): Promise<OrderPage> {
    const read = (offset: number) =>
      this.http.get(
        'orders',
        [...stream, ['limit', Math.min(MAX_LIMIT, depth - offset)], ['offset', offset], ...EXPAND],
        vendorOrderPageSchema,
        context,
      );
    const first = await read(0);
    const total = first.total ?? first.results.length;
    const offsets: number[] = [];
    for (let offset = MAX_LIMIT; offset < Math.min(depth, total); offset += MAX_LIMIT) offsets.push(offset);
    const rest = await Promise.all(offsets.map(read));
    const dtos = [first, ...rest].flatMap((page) => page.results);
    return { count: total, orders: dtos.map((dto) => this.toOrder(dto)) };
  }

  /**
   * The vendor customer carrying this edX username, or null when there is none (a learner who never
   * bought there simply has no vendor orders). Two customers for one username cannot be told apart,
   * so that is an upstream data error rather than a guess (uniqueness cannot be enforced there).
   */
  private async customerIdOf(username: string, context: CallContext): Promise<string | null> {
    const page = await this.http.get(
      'customers',
      [
        ['where', 'custom(fields(edx-lms_user_name = :username))'],
        ['var.username', username],
        ['limit', 2],
        ['withTotal', 'false'],
      ],
      vendorCustomerPageSchema,
      context,
    );
    const [first, second] = page.results;
    if (second) {
      const name = this.options.api.name;
      throw new UpstreamError(
        name,
        ErrorCode.UPSTREAM_ERROR,
        `${name} has more than one customer for this user`,
      );
    }
    return first?.id ?? null;
  }

  private toOrder(dto: VendorOrder): Order {
    try {
      return toOrder(dto, {
        receiptBaseUrl: this.options.receiptBaseUrl,
        onUnknownStatus: (status, number) =>
          this.options.logger.warn({ status, orderNumber: number }, 'unmapped vendor order state'),
      });
    } catch (error) {
      throw malformed(this.options.api.name, error);
    }
  }
}
