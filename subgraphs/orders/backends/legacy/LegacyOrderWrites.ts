import type { Logger } from 'pino';
import { z } from 'zod';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import { parseBody } from '../../../../upstream/parseBody';
import type { Upstream } from '../../../../upstream/Upstream';
import type { Order } from '../../domain/Order';
import type { RefundAction, RefundInput, RefundOutcome, RefundReceipt } from '../../domain/Refund';
import type { RefundAdmission, RefundFacts } from '../../domain/RefundFacts';
import { toUtcIso } from '../../domain/toUtcIso';
import type { OrderWrites, WriteContext } from '../../port/OrderWrites';
import { legacyOrderSchema } from './dto';
import { toOrder } from './toOrder';
import { processedRefundSchema, refundOutcomeOf } from './refundOutcome';
import { courseKeysOf } from './courseLines';
import { entitlementCourseUuidsOf } from './entitlementLines';
import { LegacyWriteClient } from './LegacyWriteClient';
import { planLegacyRefund } from './planLegacyRefund';
import { readRefundableOrder } from './readRefundableOrder';

const refundIdsSchema = z.array(z.number());
/** RefundCreateView's answer when the order, or an unrefunded line with that entitlement, is not there. */
const entitlementMissingSchema = z.object({ detail: z.string().regex(/^Order .* does not exist\.$/) });

export interface LegacyOrderWritesOptions {
  upstream: Upstream;
  receiptBaseUrl: string;
  logger: Logger;
}

/**
 * Refunds (`POST /api/v2/refunds/`) and fulfilment (`PUT /api/v2/orders/{n}/fulfill/`) on the legacy
 * API, with the caller's own JWT or the service user's. Writes are sent once: the kit never retries a
 * non-idempotent call after bytes may have left; the one re-send is after a 401 to the service token
 * (`LegacyWriteClient.send`), which proves the first did nothing.
 */
export class LegacyOrderWrites implements OrderWrites {
  private readonly client: LegacyWriteClient;

  constructor(private readonly options: LegacyOrderWritesOptions) {
    this.client = new LegacyWriteClient(options.upstream);
  }

  async assertChangeable(number: string, context: WriteContext): Promise<void> {
    await readRefundableOrder(this.client, number, context);
  }

  /**
   * A refund in the terms the real API accepts (docs/reference/legacy-ecommerce.md, "Refunds"): one
   * `POST /api/v2/refunds/ {username, course_id}` per course run in the order (or the one asked for).
   * The API ignores `order_number` with a `course_id` and refunds that course in EVERY Complete order
   * of the user, so when another order holds the same course the request is refused up front
   * (REFUND_SCOPE_AMBIGUOUS, naming them) unless staff confirm exactly those orders in `alsoRefund`.
   */
  /** The order's owner, `date_placed` (what the LMS reads, `refund_cutoff_date`) and course runs. */
  async refundFacts(input: RefundInput, context: WriteContext): Promise<RefundFacts> {
    const order = await readRefundableOrder(this.client, input.orderNumber, context);
    const held = courseKeysOf(order);
    const entitlements = entitlementCourseUuidsOf(order);
    return {
      orderNumber: order.number,
      owner: order.user.username,
      placedAt: toUtcIso(order.date_placed),
      courseRunKeys:
        input.courseUuid !== undefined
          ? []
          : input.courseRunKey === null
            ? held
            : held.filter((key) => key === input.courseRunKey),
      entitlementCourseUuids:
        input.courseRunKey !== null
          ? []
          : input.courseUuid === undefined
            ? entitlements
            : entitlements.filter((course) => course === input.courseUuid),
    };
  }

  async requestRefund(
    input: RefundInput,
    context: WriteContext,
    admission?: RefundAdmission,
  ): Promise<RefundReceipt> {
    const { courses, entitlements, owner, free } = await planLegacyRefund(this.client, input, context);
    const refundIds: string[] = [];
    for (const course of entitlements) {
      const created = await this.postEntitlementRefund(owner, input.orderNumber, course, admission, context);
      refundIds.push(...created);
    }
    for (const course of courses) {
      try {
        refundIds.push(...(await this.postRefund(owner, course, context)));
        // Created now or before (200 []): either way this order's line has a refund line from now on.
        await this.remember(input.orderNumber, course, context);
      } catch (error) {
        // Earlier courses are refunded; say so. Re-sending them is harmless (200 [], nothing left).
        if (refundIds.length > 0) context.audit('refund partly applied', { refundIds, failedCourse: course });
        throw error;
      }
    }
    if (refundIds.length === 0)
      throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has nothing left to refund');
    // `Refund.create_with_lines`: created Open (OSCAR_INITIAL_REFUND_STATUS), and approved at once only
    // when its credit is 0; no money moves until someone processes it (processRefunds).
    const status = [...courses, ...entitlements].every((course) => free.has(course)) ? 'APPROVED' : 'OPEN';
    return { orderNumber: input.orderNumber, refundIds, status };
  }

  /**
   * `PUT /api/v2/refunds/{id}/process/ {action}` for each refund, as the service user (RefundProcessView
   * is IsAdminUser). Safe to send again: approving a Complete refund and denying a Denied one succeed
   * and change nothing. 200 and 500 both carry the serialized refund, whose status says what happened.
   */
  async processRefunds(
    orderNumber: string,
    refundIds: readonly string[],
    action: RefundAction,
    context: WriteContext,
  ): Promise<{ status: RefundOutcome; lastError: string | null }> {
    const outcomes: RefundOutcome[] = [];
    const errors: string[] = [];
    for (const id of refundIds) {
      const response = await this.client.send(
        {
          method: 'PUT',
          path: `/api/v2/refunds/${encodeURIComponent(id)}/process/`,
          route: '/api/v2/refunds/{id}/process/',
          body: { action: action === 'APPROVE' ? 'approve' : 'deny' },
        },
        context,
      );
      if (response.status !== 500) this.client.rejectUnexpected(response, 200);
      const refund = parseBody(this.client.upstreamName, processedRefundSchema, response.body);
      const outcome = refundOutcomeOf(refund.status);
      outcomes.push(outcome.status);
      if (outcome.lastError) errors.push(`refund ${id}: ${outcome.lastError}`);
      else if (response.status === 500)
        errors.push(`refund ${id}: could not be processed (${refund.status})`);
    }
    context.audit('refunds processed', { orderNumber, refundIds, action, outcomes });
    const status = outcomes.every((o) => o === 'DENIED')
      ? 'DENIED'
      : outcomes.every((o) => o === 'APPROVED')
        ? 'APPROVED'
        : 'OPEN';
    return { status, lastError: errors.length > 0 ? errors.join('; ') : null };
  }

  /**
   * The legacy API has no way to read refunds back (no list route: GET answers 403). What it does
   * offer: re-sending a refund for a course already refunded answers 200 [] and creates nothing. So a
   * takeover re-sends the same requests: whatever the dead attempt did not apply is applied now, and
   * the ids of what it did apply — in a reply that was lost — cannot be recovered (`refundIdsKnown`).
   */
  async findRefund(
    input: RefundInput,
    context: WriteContext,
    admission?: RefundAdmission,
  ): Promise<RefundReceipt | null> {
    const { courses, entitlements, owner, free } = await planLegacyRefund(this.client, input, context);
    const refundIds: string[] = [];
    let unknown = false;
    for (const course of entitlements) {
      const created = await this.postEntitlementRefund(owner, input.orderNumber, course, admission, context);
      // 400 "does not exist": the line has a refund line already (the dead attempt's, or older).
      if (created.length === 0) unknown = true;
      refundIds.push(...created);
    }
    for (const course of courses) {
      const created = await this.postRefund(owner, course, context);
      await this.remember(input.orderNumber, course, context);
      // 200 []: refunded before, by the dead attempt (ids lost) or earlier still — either way unknown.
      if (created.length === 0) unknown = true;
      refundIds.push(...created);
    }
    context.audit('refund re-sent to reconcile', { refundIds, refundIdsKnown: !unknown });
    // Created Open (or approved at once when free); whatever processed them since, nothing here can read.
    const status = [...courses, ...entitlements].every((course) => free.has(course)) ? 'APPROVED' : 'OPEN';
    return { orderNumber: input.orderNumber, refundIds, refundIdsKnown: !unknown, status };
  }

  async fulfillOrder(number: string, context: WriteContext): Promise<Order> {
    const response = await this.client.send(
      {
        method: 'PUT',
        path: `/api/v2/orders/${encodeURIComponent(number)}/fulfill/`,
        route: '/api/v2/orders/{number}/fulfill/',
      },
      context,
    );
    if (response.status === 406)
      throw codedError(ErrorCode.ORDER_NOT_FULFILLABLE, 'This order is not in a state that can be fulfilled');
    this.client.rejectUnexpected(response, 200);
    const dto = parseBody(this.client.upstreamName, legacyOrderSchema, response.body);
    return toOrder(dto, { receiptBaseUrl: this.options.receiptBaseUrl });
  }

  async findFulfilled(number: string, context: WriteContext): Promise<Order | null> {
    const response = await this.client.send(
      {
        method: 'GET',
        path: `/api/v2/orders/${encodeURIComponent(number)}/`,
        route: '/api/v2/orders/{number}/',
      },
      context,
    );
    this.client.rejectUnexpected(response, 200);
    const dto = parseBody(this.client.upstreamName, legacyOrderSchema, response.body);
    const order = toOrder(dto, { receiptBaseUrl: this.options.receiptBaseUrl });
    return order.status === 'COMPLETE' ? order : null;
  }

  /** Notes a refunded course in the ledger; a failure costs only a later false alarm, never the refund. */
  private async remember(orderNumber: string, course: string, context: WriteContext): Promise<void> {
    await context.ledger?.record(orderNumber, [course]).catch((error: unknown) => {
      context.audit('refund not noted', {
        orderNumber,
        course,
        err: String((error as Error)?.message ?? error),
      });
    });
  }

  private async postRefund(owner: string, course: string, context: WriteContext): Promise<string[]> {
    const response = await this.client.send(
      { method: 'POST', path: '/api/v2/refunds/', body: { username: owner, course_id: course } },
      context,
    );
    if (response.status === 200) return [];
    this.client.rejectUnexpected(response, 201);
    return parseBody(this.client.upstreamName, refundIdsSchema, response.body).map(String);
  }

  /**
   * `POST /api/v2/refunds/ {username, order_number, entitlement_uuid}`, as the LMS's
   * `refund_entitlement` sends it; the uuid is the LMS's, found by admitRefund (the order does not show
   * it). 201 [ids]; 400 "Order … does not exist." when the line has a refund line already: [].
   */
  private async postEntitlementRefund(
    owner: string,
    orderNumber: string,
    courseUuid: string,
    admission: RefundAdmission | undefined,
    context: WriteContext,
  ): Promise<string[]> {
    const uuid = admission?.entitlements[courseUuid];
    if (uuid === undefined)
      throw codedError(ErrorCode.ENTITLEMENT_NOT_FOUND, 'No LMS entitlement is known for that course', {
        courseUuid,
        retryable: false,
      });
    const response = await this.client.send(
      {
        method: 'POST',
        path: '/api/v2/refunds/',
        body: { username: owner, order_number: orderNumber, entitlement_uuid: uuid },
      },
      context,
    );
    if (response.status === 400 && entitlementMissingSchema.safeParse(response.body).success) {
      context.audit('entitlement line already refunded', { orderNumber, courseUuid });
      return [];
    }
    this.client.rejectUnexpected(response, 201);
    return parseBody(this.client.upstreamName, refundIdsSchema, response.body).map(String);
  }
}
