import type { Logger } from 'pino';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import type { Upstream } from '../../../../upstream/Upstream';
import { malformedBody } from '../../../../upstream/parseBody';
import { UpstreamError } from '../../../../upstream/UpstreamError';
import type { Order, OrderPage } from '../../domain/Order';
import type { CallContext, OrderPageQuery, OrdersBackend } from '../../port/OrdersBackend';
import { mergeDepth, mergeOrderPages } from '../../domain/mergeOrderPages';
import {
  vendorCustomerPageSchema,
  vendorOrderPageSchema,
  type VendorCustomer,
  type VendorOrder,
} from './dto';
import { toOrder } from './toOrder';
import { EXPAND_PRODUCT_TYPES } from './vendorEntitlementLines';
import { VendorApi, type VendorParams } from './VendorApi';
import type { VendorTokenProvider } from './VendorTokenProvider';

/** The LMS user id of a username (subgraphs/serviceIdentity/LmsUserIds), null when the LMS has none. */
export interface LearnerIds {
  userIdOf(username: string, context: CallContext): Promise<number | null>;
}

export interface VendorOrdersBackendOptions {
  api: Upstream;
  tokens: VendorTokenProvider;
  /** Whose customer a staff member asks for: the learner's LMS user id, from the LMS. */
  learnerIds: LearnerIds;
  projectKey: string;
  receiptBaseUrl: string;
  logger: Logger;
}

// The edX custom fields on a commercetools Customer (custom type `2u-user_information`, CC's
// EdXFieldNames in commerce_coordinator/apps/commercetools/catalog_info/constants.py).
const LMS_USER_ID = 'edx-lms_user_id';
const LMS_USER_NAME = 'edx-lms_user_name';
// commercetools' largest page; deeper reads are split into pages of this size.
const MAX_LIMIT = 500;
const EXPAND: VendorParams = [
  ['expand', 'paymentInfo.payments[*]'],
  ['expand', 'lineItems[*].state[*].state'],
  // The product type's key tells an entitlement line from a seat (vendorEntitlementLines.ts).
  ['expand', EXPAND_PRODUCT_TYPES],
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
 * whose `customerId` is their own customer (by LMS user id, else username: customerIdOf); staff may
 * read anyone's. An order of someone else comes back exactly like one that does not exist.
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
    // The token's user id identifies the learner only when they read their own history. Staff asking
    // for a learner get the learner's id from the LMS, never their own (which may be another
    // customer's) and never the name alone: Commerce Coordinator's UserOrdersView resolves the staff
    // override's username to the learner's lms_user_id the same way before it looks the customer up.
    const own = query.username === identity.username;
    const userId = own ? identity.userId : await this.options.learnerIds.userIdOf(query.username, context);
    // No LMS user of that name (renamed, retired): whatever customer still carries it is not theirs.
    if (userId === null) return { count: 0, orders: [] };
    const customerId = await this.customerIdOf({ username: query.username, userId }, context);
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
      identity.isStaff ? null : this.customerIdOf(identity, context),
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
   * The vendor customer of this edX user, or null when there is none (a learner who never bought there
   * simply has no vendor orders). `userId` is the learner's own (their token's claim, or the LMS's
   * answer for staff), never the caller's when they differ. Looked up by the LMS user id first: `edx-lms_user_name` is rewritten
   * when a user is retired or renamed, the id never is (Commerce Coordinator's
   * `get_customer_by_lms_user`, commerce_coordinator/apps/commercetools/clients.py). The username is the
   * fallback, for a token without `user_id` or a customer not tagged with it; a customer found by name
   * that carries another user's id is not this user (their old name, now someone else's) and is not
   * taken. See docs/reference/vendor-commercetools.md, "Customers".
   */
  private async customerIdOf(
    user: { username: string; userId?: number | undefined },
    context: CallContext,
  ): Promise<string | null> {
    if (user.userId !== undefined) {
      const byId = await this.customerBy(LMS_USER_ID, String(user.userId), context);
      if (byId) return byId.id;
    }
    const byName = await this.customerBy(LMS_USER_NAME, user.username, context);
    if (!byName) return null;
    // A String field (CC tags it as f"{lms_user_id}"); compared as text either way.
    const taggedId = byName.custom?.fields?.[LMS_USER_ID];
    const otherUser =
      user.userId !== undefined && taggedId !== undefined && String(taggedId) !== String(user.userId);
    return otherUser ? null : byName.id;
  }

  /**
   * The one customer whose custom field `field` is `value`, or null. Two customers for one value cannot
   * be told apart, so that is an upstream data error rather than a guess (commercetools cannot enforce
   * uniqueness of a custom field; CC asks for two for the same reason).
   */
  private async customerBy(
    field: string,
    value: string,
    context: CallContext,
  ): Promise<VendorCustomer | null> {
    const page = await this.http.get(
      'customers',
      [
        // The field name is ours; the value comes from the token, so it goes in as an input variable.
        ['where', `custom(fields(${field} = :value))`],
        ['var.value', value],
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
        `${name} has more than one customer for this user (${field})`,
      );
    }
    return first ?? null;
  }

  private toOrder(dto: VendorOrder): Order {
    try {
      return toOrder(dto, {
        receiptBaseUrl: this.options.receiptBaseUrl,
        onUnknownStatus: (status, number) =>
          this.options.logger.warn({ status, orderNumber: number }, 'unmapped vendor order state'),
      });
    } catch (error) {
      throw malformedBody(this.options.api.name, error);
    }
  }
}
