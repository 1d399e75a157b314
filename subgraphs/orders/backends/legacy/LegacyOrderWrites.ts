import type { Logger } from 'pino';
import { z } from 'zod';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import { expectStatus } from '../../../../upstream/expectStatus';
import { parseBody } from '../../../../upstream/parseBody';
import { sendRenewingOn401 } from '../../../../upstream/sendRenewingOn401';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../../../upstream/Upstream';
import type { UpstreamError } from '../../../../upstream/UpstreamError';
import type { Order } from '../../domain/Order';
import type { RefundAction, RefundInput, RefundOutcome, RefundReceipt } from '../../domain/Refund';
import type { RefundAdmission, RefundFacts } from '../../domain/RefundFacts';
import { toUtcIso } from '../../domain/toUtcIso';
import type { OrderWrites, WriteContext } from '../../port/OrderWrites';
import { legacyOrderSchema, legacyProductSchema } from './dto';
import { toOrder } from './toOrder';
import { processedRefundSchema, refundOutcomeOf } from './refundOutcome';
import { courseKeysOf, freeCourses } from './courseLines';
import { entitlementCourseUuidsOf, freeEntitlements } from './entitlementLines';

// The order as the refund logic reads it: whose it is, its state, and the course run of each line.
const refundableOrderSchema = z.object({
  number: z.string(),
  status: z.string(),
  date_placed: z.string(),
  user: z.object({ username: z.string() }),
  lines: z.array(z.object({ product: legacyProductSchema, line_price_excl_tax: z.string().optional() })),
});
type RefundableOrder = z.infer<typeof refundableOrderSchema>;
const userOrderPageSchema = z.object({
  next: z.string().nullable().optional(),
  results: z.array(refundableOrderSchema.omit({ user: true })),
});
const refundIdsSchema = z.array(z.number());
/** RefundCreateView's answer when the order, or an unrefunded line with that entitlement, is not there. */
const entitlementMissingSchema = z.object({ detail: z.string().regex(/^Order .* does not exist\.$/) });

/** Pages of the owner's history read to find other orders holding the same course (page_size 100). */
const MAX_HISTORY_PAGES = 5;
const HISTORY_PAGE_SIZE = 100;

export interface LegacyOrderWritesOptions {
  upstream: Upstream;
  receiptBaseUrl: string;
  logger: Logger;
}

/**
 * Refunds (`POST /api/v2/refunds/`) and fulfilment (`PUT /api/v2/orders/{n}/fulfill/`) on the legacy
 * API, with the caller's own JWT or the service user's. Writes are sent once: the kit never retries a
 * non-idempotent call after bytes may have left; the one re-send is after a 401 to the service token
 * (`send`), which proves the first did nothing.
 */
export class LegacyOrderWrites implements OrderWrites {
  constructor(private readonly options: LegacyOrderWritesOptions) {}

  async assertChangeable(number: string, context: WriteContext): Promise<void> {
    await this.readOrder(number, context);
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
    const order = await this.readOrder(input.orderNumber, context);
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
    const { courses, entitlements, owner, free } = await this.plan(input, context);
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
      const response = await this.send(
        {
          method: 'PUT',
          path: `/api/v2/refunds/${encodeURIComponent(id)}/process/`,
          route: '/api/v2/refunds/{id}/process/',
          body: { action: action === 'APPROVE' ? 'approve' : 'deny' },
        },
        context,
      );
      if (response.status !== 500) this.rejectUnexpected(response, 200);
      const refund = parseBody(this.upstreamName, processedRefundSchema, response.body);
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
    const { courses, entitlements, owner, free } = await this.plan(input, context);
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
    const dto = parseBody(this.upstreamName, legacyOrderSchema, response.body);
    return toOrder(dto, { receiptBaseUrl: this.options.receiptBaseUrl });
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
    const dto = parseBody(this.upstreamName, legacyOrderSchema, response.body);
    const order = toOrder(dto, { receiptBaseUrl: this.options.receiptBaseUrl });
    return order.status === 'COMPLETE' ? order : null;
  }

  /**
   * The order as the caller may see it: learners change their own orders, staff any. The check is
   * made HERE as well as upstream, because a service identity (the refund worker's) may read and
   * change any order there; someone else's order looks exactly like a missing one.
   */
  private async readOrder(number: string, context: WriteContext): Promise<RefundableOrder> {
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
    const order = parseBody(this.upstreamName, refundableOrderSchema, response.body);
    if (!context.identity.isStaff && order.user.username !== context.identity.username)
      throw codedError(ErrorCode.NOT_FOUND, 'No such order');
    return order;
  }

  /** Which courses to refund for whom, refusing anything that would touch an order not named. */
  private async plan(
    input: RefundInput,
    context: WriteContext,
  ): Promise<{ courses: string[]; entitlements: string[]; owner: string; free: Set<string> }> {
    const order = await this.readOrder(input.orderNumber, context);
    const owner = order.user.username;
    const held = courseKeysOf(order);
    const heldEntitlements = entitlementCourseUuidsOf(order);
    // Only Complete orders are refundable upstream; asking anyway would refund the course elsewhere.
    // (The entitlement route itself checks no status; a Complete order is still the only one refunded.)
    if (order.status !== 'Complete' || held.length + heldEntitlements.length === 0)
      throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has nothing left to refund');
    let courses = held;
    let entitlements = heldEntitlements;
    if (input.courseRunKey !== null) {
      if (!held.includes(input.courseRunKey))
        throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has no line for that course run');
      courses = [input.courseRunKey];
      entitlements = [];
    } else if (input.courseUuid !== undefined) {
      if (!heldEntitlements.includes(input.courseUuid))
        throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has no entitlement line for that course');
      courses = [];
      entitlements = [input.courseUuid];
    }
    // An entitlement refund names its order (`order_number`): only course_id refunds reach other orders.
    const others =
      courses.length > 0 ? await this.otherOrdersHolding(owner, courses, order.number, context) : [];
    if (others.length > 0) {
      const confirmed = new Set(input.alsoRefund ?? []);
      const exact = confirmed.size === others.length && others.every((n) => confirmed.has(n));
      if (!(context.identity.isStaff && exact)) {
        throw codedError(
          ErrorCode.REFUND_SCOPE_AMBIGUOUS,
          `The ecommerce service refunds a course in every order holding it: this refund would also refund ${others.join(', ')}`,
          { otherOrders: others, retryable: false },
        );
      }
    } else if ((input.alsoRefund ?? []).length > 0) {
      throw codedError(ErrorCode.BAD_USER_INPUT, 'alsoRefund names orders this refund would not touch', {
        argument: 'input.alsoRefund',
      });
    }
    return {
      courses,
      entitlements,
      owner,
      free: new Set([...freeCourses(order), ...freeEntitlements(order)]),
    };
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

  /**
   * The owner's other Complete orders holding any of these courses: what a course_id refund also
   * hits. An order whose line for the course was already refunded is not hit (`create_refunds` skips
   * lines with a refund line); the API cannot show that, so Switchyard's ledger of its own refunds
   * tells. A refund made elsewhere (the LMS, the ecommerce dashboard) is not in it: still a candidate.
   */
  private async otherOrdersHolding(
    owner: string,
    courses: string[],
    number: string,
    context: WriteContext,
  ): Promise<string[]> {
    const found: string[] = [];
    for (let page = 1; page <= MAX_HISTORY_PAGES; page++) {
      const response = await this.send(
        {
          method: 'GET',
          path: '/api/v2/orders/',
          query: { username: owner, page, page_size: HISTORY_PAGE_SIZE },
        },
        context,
      );
      this.rejectUnexpected(response, 200);
      const body = parseBody(this.upstreamName, userOrderPageSchema, response.body);
      for (const other of body.results) {
        if (other.number === number || other.status !== 'Complete') continue;
        const shared = courseKeysOf(other).filter((course) => courses.includes(course));
        if (shared.length === 0) continue;
        const refunded = new Set(context.ledger ? await context.ledger.refunded(other.number) : []);
        if (shared.some((course) => !refunded.has(course))) found.push(other.number);
      }
      if (!body.next) return found;
    }
    // A history too long to read in full cannot prove the refund touches nothing else.
    throw codedError(
      ErrorCode.REFUND_SCOPE_AMBIGUOUS,
      `Cannot tell which other orders this refund would touch: more than ${MAX_HISTORY_PAGES * HISTORY_PAGE_SIZE} orders`,
      { otherOrders: found, retryable: false },
    );
  }

  private async postRefund(owner: string, course: string, context: WriteContext): Promise<string[]> {
    const response = await this.send(
      { method: 'POST', path: '/api/v2/refunds/', body: { username: owner, course_id: course } },
      context,
    );
    if (response.status === 200) return [];
    this.rejectUnexpected(response, 201);
    return parseBody(this.upstreamName, refundIdsSchema, response.body).map(String);
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
    const response = await this.send(
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
    this.rejectUnexpected(response, 201);
    return parseBody(this.upstreamName, refundIdsSchema, response.body).map(String);
  }

  /**
   * One call, with the caller's own JWT, or the service user's when the context carries it. The
   * service token is cached for the process and can be refused before it expires (the LMS rotated its
   * signing key): then it is renewed and the call sent once more, whatever the method. Re-sending a
   * write after a 401 cannot apply it twice: ecommerce is a DRF service (JwtAuthentication first in
   * REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES, ecommerce/settings/base.py), and DRF's
   * `APIView.initial` authenticates the request before `dispatch` calls the view, so a 401 means no
   * view code ran (docs/mutations-and-idempotency.md, "Service tokens"). A learner's own token is
   * never renewed here: it is theirs, and a refusal is their answer.
   */
  private async send(request: UpstreamRequest, context: WriteContext): Promise<UpstreamResponse> {
    const fields = {
      upstream: this.options.upstream.name,
      method: request.method,
      path: request.path,
      requestId: context.requestId,
    };
    const { service } = context;
    if (!service) return this.attempt(request, context.identity.token, context, fields);
    return sendRenewingOn401(
      { current: () => service.identity(), invalidate: (refused) => service.invalidate(refused) },
      (identity) => this.attempt(request, identity.token, context, fields),
      () => context.audit('service token refused, renewing', fields),
    );
  }

  private async attempt(
    request: UpstreamRequest,
    token: string,
    context: WriteContext,
    fields: Record<string, unknown>,
  ): Promise<UpstreamResponse> {
    context.audit('upstream attempt', fields);
    try {
      const response = await this.options.upstream.request({
        ...request,
        headers: {
          authorization: `JWT ${token}`,
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
    expectStatus(this.upstreamName, response, expected);
  }

  private get upstreamName(): string {
    return this.options.upstream.name;
  }
}
