import type { Identity } from '../../platform/auth/Identity';
import type { SimRequest, SimResponse } from '../kit/createSimulator';
import type { SeedOrder } from '../seed/SeedOrder';

export interface LegacyRefund {
  id: number;
  orderNumber: string;
  username: string;
  courseKey: string | null;
  status: 'Open';
  /** The Idempotency-Key header the caller sent, if any (the real service ignores it; we record it). */
  idempotencyKey: string | null;
  createdAt: string;
}

/**
 * The legacy write endpoints (upstream-apis.md §1.3) with real side effects: refunds are recorded,
 * fulfilment changes the order's status. `executions` counts the calls that changed state.
 */
export class LegacyWrites {
  readonly refunds: LegacyRefund[] = [];
  executions = { refunds: 0, fulfillments: 0 };
  /**
   * Refund calls that reached the write logic (past the fault knobs), by Idempotency-Key, whether or
   * not they created anything. Exactly-once checks count these: a second call on an order already
   * refunded changes nothing (200 []), so `executions` and `refunds` alone cannot show it.
   */
  readonly refundCallsByKey = new Map<string, number>();
  private readonly failingFulfillment = new Set<string>();
  /**
   * Fault knob for crash tests: apply the write, then hold the answer until `releaseHeld()` — the
   * window in which a caller can die after the upstream changed state but before it heard so.
   */
  holdAfterApply = false;
  private readonly held: (() => void)[] = [];
  private readonly holdWaiters: (() => void)[] = [];

  /** Wraps a write so its answer waits while `holdAfterApply` is on. */
  async maybeHold(response: SimResponse): Promise<SimResponse> {
    if (this.holdAfterApply) {
      const released = new Promise<void>((resolve) => this.held.push(resolve));
      this.holdWaiters.splice(0).forEach((notify) => notify());
      await released;
    }
    return response;
  }

  /** Resolves once a write is being held (at once if one already is): tests sequence on it, not on sleeps. */
  whenHeld(): Promise<void> {
    if (this.held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.holdWaiters.push(resolve));
  }

  releaseHeld(): void {
    this.held.splice(0).forEach((release) => release());
  }

  constructor(private readonly byNumber: Map<string, SeedOrder>) {}

  /** Makes fulfilment of this order leave it fulfillable, so the API answers 500 (tests). */
  failFulfillmentOf(number: string): void {
    this.failingFulfillment.add(number);
  }

  /** `POST /api/v2/refunds/` — body `{username, order_number, course_id?}`; 201 [ids], 200 [] when nothing to refund. */
  createRefund(who: Identity, request: SimRequest): SimResponse {
    const key = request.headers['idempotency-key'];
    const keyName = typeof key === 'string' ? key : '(none)';
    this.refundCallsByKey.set(keyName, (this.refundCallsByKey.get(keyName) ?? 0) + 1);
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
      string,
      unknown
    >;
    const username = body.username;
    if (typeof username !== 'string' || username === '')
      return { status: 400, body: { username: ['This field is required.'] } };
    // CanActForUser: superuser or self.
    if (!who.isStaff && username !== who.username)
      return { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
    const order = typeof body.order_number === 'string' ? this.byNumber.get(body.order_number) : undefined;
    if (!order || order.username !== username)
      return { status: 400, body: { detail: 'Order not found for this user.' } };
    const courseId = typeof body.course_id === 'string' ? body.course_id : null;
    if (order.status !== 'Complete') return { status: 200, body: [] };
    const already = new Set(
      this.refunds.filter((r) => r.orderNumber === order.number).map((r) => r.courseKey),
    );
    const lines = order.lines.filter(
      (l) => (courseId === null || l.courseKey === courseId) && !already.has(l.courseKey),
    );
    if (lines.length === 0) return { status: 200, body: [] };
    this.executions.refunds++;
    const created = lines.map((line) => {
      const refund: LegacyRefund = {
        id: this.refunds.length + 1,
        orderNumber: order.number,
        username,
        courseKey: line.courseKey,
        status: 'Open',
        idempotencyKey: typeof key === 'string' ? key : null,
        createdAt: new Date().toISOString(),
      };
      this.refunds.push(refund);
      return refund.id;
    });
    return { status: 201, body: created };
  }

  /**
   * `GET /api/v2/refunds/?username=&order_number=` — a lookup the simulator offers so a retry after a
   * crash can find what was already refunded (reconciliation) instead of refunding again.
   */
  listRefunds(who: Identity, request: SimRequest): SimResponse {
    const username = request.url.searchParams.get('username') ?? who.username;
    if (!who.isStaff && username !== who.username)
      return { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
    const number = request.url.searchParams.get('order_number');
    const results = this.refunds
      .filter((r) => r.username === username && (number === null || r.orderNumber === number))
      .map((r) => ({
        id: r.id,
        order_number: r.orderNumber,
        course_id: r.courseKey,
        status: r.status,
        created: r.createdAt,
      }));
    return { status: 200, body: { count: results.length, next: null, previous: null, results } };
  }

  /** `PUT /api/v2/orders/{n}/fulfill/` — staff only; 406 when not fulfillable; 500 when fulfilment failed. */
  fulfill(who: Identity, number: string, render: (o: SeedOrder) => unknown): SimResponse {
    if (!who.isStaff)
      return { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
    const order = this.byNumber.get(number);
    if (!order) return { status: 404, body: { detail: 'Not found.' } };
    if (order.status !== 'Open' && order.status !== 'Fulfillment Error')
      return { status: 406, body: { detail: 'Order is not fulfillable.' } };
    this.executions.fulfillments++;
    if (this.failingFulfillment.has(number)) {
      order.status = 'Fulfillment Error';
      return { status: 500, body: { detail: 'Fulfillment failed.' } };
    }
    order.status = 'Complete';
    return { status: 200, body: render(order) };
  }
}
