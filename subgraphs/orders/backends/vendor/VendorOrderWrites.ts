import type { Logger } from 'pino';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import type { Upstream } from '../../../../upstream/Upstream';
import { unexpectedStatus } from '../../../../upstream/expectStatus';
import type { Order } from '../../domain/Order';
import type { RefundAction, RefundInput, RefundOutcome, RefundReceipt } from '../../domain/Refund';
import type { RefundFacts } from '../../domain/RefundFacts';
import { toUtcIso } from '../../domain/toUtcIso';
import type { OrdersBackend } from '../../port/OrdersBackend';
import type { OrderWrites, WriteContext } from '../../port/OrderWrites';
import {
  vendorCustomerPageSchema,
  vendorWritableOrderPageSchema,
  vendorWritableOrderSchema,
  type VendorWritableOrder,
} from './dto';
import { VendorApi, type VendorParams } from './VendorApi';
import { EXPAND_PRODUCT_TYPES } from './vendorEntitlementLines';
import { coursesOf, refundableItems, returnItemIds } from './vendorReturns';
import type { VendorTokenProvider } from './VendorTokenProvider';

export interface VendorOrderWritesOptions {
  api: Upstream;
  tokens: VendorTokenProvider;
  projectKey: string;
  /** Who may see which order: the vendor backend's own rule, so reads and writes cannot drift apart. */
  visibility: Pick<OrdersBackend, 'getOrders'>;
  logger: Logger;
}

// A 409 means nothing was applied and someone else (a support agent, another refund) changed the
// order since we read it: re-reading and deciding again is safe. Three times, then we give up.
const MAX_CONFLICT_RETRIES = 3;

type Action = Record<string, unknown> & { action: string };

// Reads and updates that plan a refund need each line's product type key (entitlement or seat).
const PRODUCT_TYPES: VendorParams = [['expand', EXPAND_PRODUCT_TYPES]];

/**
 * Refunds (an `addReturnInfo` update, as Commerce Coordinator does) on the vendor API, under our
 * service token; fulfilment is refused (fulfillOrder). That token may change any order, so the learner's
 * ownership is checked HERE, by the vendor backend's own rule. Each update names the version it read;
 * only a ConcurrentModification is retried, after re-reading — never a write whose fate is unknown.
 */
export class VendorOrderWrites implements OrderWrites {
  private readonly http: VendorApi;

  constructor(private readonly options: VendorOrderWritesOptions) {
    this.http = new VendorApi(options.api, options.tokens, options.projectKey);
  }

  async assertChangeable(number: string, context: WriteContext): Promise<void> {
    await this.visibleOrder(number, context);
  }

  /**
   * The purchase time as the history shows it (`completedAt` of an imported order, else `createdAt`:
   * toOrder), the course runs (seat line SKUs), the entitlement lines' courses with the LMS
   * entitlement CC stored on each (`edxLMSEntitlementId`), and the owner: the caller when a learner
   * (visibleOrder checked it is theirs), else the customer's `edx-lms_user_name`.
   */
  async refundFacts(input: RefundInput, context: WriteContext): Promise<RefundFacts> {
    const order = await this.visibleOrder(input.orderNumber, context, PRODUCT_TYPES);
    const { held, entitlementUuids } = coursesOf(order);
    const entitlements = Object.keys(entitlementUuids);
    return {
      orderNumber: order.orderNumber,
      owner: context.identity.isStaff ? await this.ownerOf(order, context) : context.identity.username,
      placedAt: toUtcIso(order.completedAt ?? order.createdAt),
      // As legacy: a refund naming a course entitlement covers no seat, one naming a run no entitlement.
      courseRunKeys:
        input.courseUuid !== undefined
          ? []
          : input.courseRunKey === null
            ? held
            : held.filter((sku) => sku === input.courseRunKey),
      entitlementCourseUuids:
        input.courseRunKey !== null
          ? []
          : input.courseUuid === undefined
            ? entitlements
            : entitlements.filter((course) => course === input.courseUuid),
      entitlementUuids,
    };
  }

  /**
   * One `addReturnInfo` on the lines the refund covers; an entitlement line is returned like a seat
   * (Commerce Coordinator refunds it and revokes the entitlement it stored on the line), so the
   * admission's uuids are not needed here.
   */
  async requestRefund(input: RefundInput, context: WriteContext): Promise<RefundReceipt> {
    const order = await this.visibleOrder(input.orderNumber, context, PRODUCT_TYPES);
    const { before, after } = await this.update(order, PRODUCT_TYPES, context, (current) => {
      const items = refundableItems(current, input.courseRunKey, input.courseUuid);
      if (items.length === 0)
        throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has nothing left to refund');
      // The key as tracking id is what lets findRefund recognise this return after a crash.
      const info = { items, returnTrackingId: context.idempotencyKey, returnDate: new Date().toISOString() };
      return [{ action: 'addReturnInfo', ...info }];
    });
    // The update applied to exactly the version we sent, so whatever is new in it is ours.
    const existing = new Set(returnItemIds(before));
    const refundIds = returnItemIds(after).filter((id) => !existing.has(id));
    return { orderNumber: input.orderNumber, refundIds };
  }

  async findRefund(input: RefundInput, context: WriteContext): Promise<RefundReceipt | null> {
    const order = await this.visibleOrder(input.orderNumber, context);
    const refundIds = returnItemIds(order, context.idempotencyKey);
    return refundIds.length ? { orderNumber: input.orderNumber, refundIds } : null;
  }

  /**
   * Not offered for vendor orders, refused before any upstream call. Fulfilment means enrolling the
   * learner; commercetools' `changeOrderState` only sets `orderState` (it emits OrderStateChanged and
   * enrolls nobody), and edX's real fulfilment runs elsewhere (Commerce Coordinator → the Order
   * Fulfillment service). Marking an order Complete here would show it fulfilled while no one was
   * enrolled. See docs/reference/vendor-commercetools.md, "Fulfilment".
   */
  async fulfillOrder(number: string, context: WriteContext): Promise<Order> {
    throw this.notSupported(number, context);
  }

  /**
   * Not offered: a vendor return is refunded by Commerce Coordinator on its own (OrderReturnedView →
   * the PSP refund, then the access revoked); there is nothing for staff to approve or deny here.
   */
  async processRefunds(
    orderNumber: string,
    _refundIds: readonly string[],
    _action: RefundAction,
    context: WriteContext,
  ): Promise<{ status: RefundOutcome; lastError: string | null }> {
    context.audit('refused', { orderNumber, code: ErrorCode.NOT_SUPPORTED_BY_BACKEND });
    throw codedError(
      ErrorCode.NOT_SUPPORTED_BY_BACKEND,
      'Vendor refunds are processed by the vendor system itself, not approved here',
      { backend: 'vendor' },
    );
  }

  /** Nothing to reconcile: no vendor fulfilment is ever started (fulfillOrder). */
  async findFulfilled(number: string, context: WriteContext): Promise<Order | null> {
    throw this.notSupported(number, context);
  }

  private notSupported(number: string, context: WriteContext): Error {
    context.audit('refused', { orderNumber: number, code: ErrorCode.NOT_SUPPORTED_BY_BACKEND });
    this.options.logger.info(
      { orderNumber: number },
      'fulfillOrder refused: not supported for vendor orders',
    );
    return codedError(
      ErrorCode.NOT_SUPPORTED_BY_BACKEND,
      'Vendor orders cannot be fulfilled through this API: the vendor system does not enroll learners',
      { backend: 'vendor' },
    );
  }

  /**
   * Plans the actions on the order as last read and sends them with its version; on a 409, re-reads
   * and plans again (the plan may now refuse: someone else refunded first).
   */
  private async update(
    order: VendorWritableOrder,
    params: VendorParams,
    context: WriteContext,
    plan: (current: VendorWritableOrder) => Action[],
  ): Promise<{ before: VendorWritableOrder; after: VendorWritableOrder }> {
    const name = this.options.api.name;
    let current = order;
    for (let conflicts = 0; ; conflicts++) {
      const body = { version: current.version, actions: plan(current) };
      const resource = `orders/${encodeURIComponent(current.id)}`;
      const result = await this.audited(
        context,
        'POST',
        resource,
        (r) => r.status,
        () =>
          this.http.post(resource, params, body, vendorWritableOrderSchema, context, {
            'idempotency-key': context.idempotencyKey,
          }),
      );
      if (result.status === 200) return { before: current, after: result.body };
      if (result.status === 404) throw codedError(ErrorCode.NOT_FOUND, 'No such order');
      const conflict = result.error.errors.find((e) => e.code === 'ConcurrentModification');
      if (!conflict || conflicts >= MAX_CONFLICT_RETRIES) {
        const message = `${name} refused the update as conflicting, ${conflicts} re-reads later`;
        throw unexpectedStatus(name, 409, message);
      }
      context.audit('upstream conflict', { upstream: name, currentVersion: conflict.currentVersion });
      const fresh = await this.read(current.orderNumber, context, params);
      if (!fresh) throw codedError(ErrorCode.NOT_FOUND, 'No such order');
      current = fresh;
    }
  }

  /** The order if this caller may see it; someone else's order is exactly as missing as a made-up one. */
  private async visibleOrder(
    number: string,
    context: WriteContext,
    expand: VendorParams = [],
  ): Promise<VendorWritableOrder> {
    const [visible, order] = await Promise.all([
      this.audited(
        context,
        'GET',
        'orders (ownership)',
        () => 200,
        () => this.options.visibility.getOrders([number], context),
      ),
      this.read(number, context, expand),
    ]);
    const slot = visible[0];
    if (slot instanceof Error) throw slot;
    if (!slot || !order) throw codedError(ErrorCode.NOT_FOUND, 'No such order');
    return order;
  }

  /** The LMS username the order's customer carries (Commerce Coordinator's `edx-lms_user_name`). */
  private async ownerOf(order: VendorWritableOrder, context: WriteContext): Promise<string> {
    const page = await this.audited(
      context,
      'GET',
      'customers',
      () => 200,
      () =>
        this.http.get(
          'customers',
          [
            ['where', 'id = :id'],
            ['var.id', order.customerId ?? ''],
            ['limit', 1],
            ['withTotal', 'false'],
          ],
          vendorCustomerPageSchema,
          context,
        ),
    );
    const name = page.results[0]?.custom?.fields?.['edx-lms_user_name'];
    if (typeof name !== 'string' || name === '')
      throw unexpectedStatus(
        this.options.api.name,
        200,
        `${this.options.api.name} names no LMS user for this order`,
      );
    return name;
  }

  /** Numbers go in as input variables, never spliced into the predicate: they come from the client. */
  private async read(
    number: string,
    context: WriteContext,
    expand: VendorParams = [],
  ): Promise<VendorWritableOrder | null> {
    const query: VendorParams = [
      ['where', 'orderNumber = :number'],
      ['var.number', number],
      ['limit', 1],
      ['withTotal', 'false'],
      ...expand,
    ];
    const page = await this.audited(
      context,
      'GET',
      'orders',
      () => 200,
      () => this.http.get('orders', query, vendorWritableOrderPageSchema, context),
    );
    return page.results[0] ?? null;
  }

  /** One audit event per upstream attempt and result, as the legacy writer records them. */
  private async audited<T>(
    context: WriteContext,
    method: string,
    path: string,
    statusOf: (result: T) => number,
    call: () => Promise<T>,
  ): Promise<T> {
    const fields = { upstream: this.options.api.name, method, path, requestId: context.requestId };
    context.audit('upstream attempt', fields);
    try {
      const result = await call();
      context.audit('upstream answered', { ...fields, status: statusOf(result) });
      return result;
    } catch (error) {
      context.audit('upstream failed', { ...fields, code: (error as { code?: unknown }).code });
      throw error;
    }
  }
}
