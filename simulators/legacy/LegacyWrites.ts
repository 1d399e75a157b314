import type { Identity } from '../../platform/auth/Identity';
import type { SimRequest, SimResponse } from '../kit/createSimulator';
import type { SeedOrder } from '../seed/SeedOrder';
import { lineTotalMinor } from '../seed/SeedOrder';
import { drfDecimal } from './toLegacyOrder';
import type { LegacyRefund } from './LegacyRefund';
import { processRefund, type RefundSideEffects } from './processRefund';

export type { LegacyRefund } from './LegacyRefund';

/**
 * ecommerce's own worker, and Switchyard's service user (the LMS OAuth2 simulator's dev client): a
 * deployment grants the permission to the service user Switchyard runs as (docs/operations).
 */
export const DEFAULT_CHANGE_ORDER_USERS: ReadonlySet<string> = new Set([
  'ecommerce_worker',
  'switchyard_worker',
]);

const now = () => new Date().toISOString();
/** Who `create_with_lines` approves a zero-credit refund as: the model itself, no view involved. */
const APPROVER: Identity = { username: 'ecommerce', isStaff: true, token: '' };
const approveNow = (id: number): SimRequest => ({
  method: 'PUT',
  url: new URL(`http://ecommerce/api/v2/refunds/${id}/process/`),
  headers: {},
  body: { action: 'approve' },
  params: [String(id)],
});

const PERMISSION_DENIED: SimResponse = {
  status: 403,
  body: { detail: 'You do not have permission to perform this action.' },
};

/**
 * The legacy write endpoints (docs/reference/upstream-apis.md §1.3) with real side effects: refunds are recorded,
 * fulfilment changes the order's status. `executions` counts the calls that changed state.
 */
export class LegacyWrites {
  readonly refunds: LegacyRefund[] = [];
  executions = { refunds: 0, fulfillments: 0, processes: 0 };
  /** Money sent back and seats revoked by processing refunds (the LMS's side of `approve`). */
  readonly effects: RefundSideEffects = { credited: [], revokedSeats: [], revokedEntitlements: [] };
  /** Every refund creation's body that reached the write logic, by Idempotency-Key (exactly-once checks). */
  readonly refundBodies: { idempotencyKey: string; body: Record<string, unknown> }[] = [];
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

  /**
   * @param changeOrderUsers who holds Django's `order.change_order` permission, which the fulfil action
   * needs (DjangoModelPermissions): service users, not staff as such — the JWT's `administrator` claim
   * only sets `is_staff` (docs/reference/legacy-ecommerce.md, "Fulfilment").
   */
  constructor(
    private readonly byNumber: Map<string, SeedOrder>,
    private readonly changeOrderUsers: ReadonlySet<string> = DEFAULT_CHANGE_ORDER_USERS,
  ) {}

  /**
   * Fault knob: refund creations answer this status (after being counted) instead of creating
   * anything, while every read still works — a failure of the write itself, not of the service.
   */
  refundFailureStatus: number | null = null;

  /** Makes fulfilment of this order leave it fulfillable, so the API answers 500 (tests). */
  failFulfillmentOf(number: string): void {
    this.failingFulfillment.add(number);
  }

  /**
   * `POST /api/v2/refunds/` as ecommerce's RefundCreateView answers it (docs/reference/legacy-ecommerce.md,
   * "Refunds"): `username` is required by CanActForUser (403 without it, or for another user unless
   * staff); then either `course_id` — which IGNORES `order_number` and refunds the not-yet-refunded
   * lines of that course in EVERY Complete order of the user, one Refund per order — or `order_number`
   * + `entitlement_uuid`; neither is 400 "No course_id specified.". 201 [ids], or 200 [] when nothing
   * was left to refund (which makes re-sending a refund safe).
   */
  createRefund(who: Identity, request: SimRequest): SimResponse {
    const key = request.headers['idempotency-key'];
    const keyName = typeof key === 'string' ? key : '(none)';
    this.refundCallsByKey.set(keyName, (this.refundCallsByKey.get(keyName) ?? 0) + 1);
    this.refundBodies.push({
      idempotencyKey: keyName,
      body: typeof request.body === 'object' && request.body !== null ? { ...request.body } : {},
    });
    if (this.refundFailureStatus !== null)
      return { status: this.refundFailureStatus, body: { detail: 'Internal server error.' } };
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
      string,
      unknown
    >;
    const username = typeof body.username === 'string' ? body.username : '';
    // CanActForUser (extends IsAdminUser): no username, or someone else's without staff → denied.
    if (!username || (!who.isStaff && username !== who.username)) return PERMISSION_DENIED;
    if (!this.knownUsers().has(username) && username !== who.username)
      return { status: 400, body: { detail: `User "${username}" does not exist.` } };
    const mine = [...this.byNumber.values()].filter((o) => o.username === username);
    if (typeof body.entitlement_uuid === 'string' && body.entitlement_uuid !== '')
      return this.refundEntitlement(mine, body, username, key);
    const courseId = typeof body.course_id === 'string' ? body.course_id : '';
    if (!courseId) return { status: 400, body: { detail: 'No course_id specified.' } };
    const refunded = new Set(
      this.refunds.flatMap((r) => r.courseKeys.map((course) => `${r.orderNumber}\u0000${course}`)),
    );
    const created: number[] = [];
    for (const order of mine) {
      if (order.status !== 'Complete') continue;
      const open = order.lines.some(
        (l) => l.courseKey === courseId && !refunded.has(`${order.number}\u0000${courseId}`),
      );
      if (!open) continue;
      const creditMinor = order.lines
        .filter((l) => l.courseKey === courseId)
        .reduce((sum, line) => sum + lineTotalMinor(line), 0);
      const at = new Date().toISOString();
      const refund: LegacyRefund = {
        id: this.refunds.length + 1,
        orderNumber: order.number,
        username,
        courseKeys: [courseId],
        status: 'Open',
        // Refund.total_credit_excl_tax: a DecimalField(decimal_places=2), as the order's amounts.
        totalCredit: drfDecimal(creditMinor, order.currency),
        currency: order.currency,
        orderId: Number(order.number.replace(/\D/g, '')) || 0,
        userId: [...this.knownUsers()].sort().indexOf(username) + 1,
        idempotencyKey: typeof key === 'string' ? key : null,
        createdAt: at,
        modifiedAt: at,
      };
      this.refunds.push(refund);
      created.push(refund.id);
      // create_with_lines: a refund of nothing (a free seat) is approved as soon as it is made.
      if (creditMinor === 0) processRefund(APPROVER, approveNow(refund.id), this.refunds, this.effects, now);
    }
    if (created.length === 0) return { status: 200, body: [] };
    this.executions.refunds++;
    return { status: 201, body: created };
  }

  /**
   * The entitlement branch of RefundCreateView: `user.orders.get(number=order_number)` — any status,
   * the view checks none — then `create_refunds_for_entitlement` (ecommerce/extensions/refund/api.py):
   * the order's line whose `course_entitlement` attribute is the uuid and that has no refund line at
   * all (a denied one included). No such order or line: DoesNotExist, answered 400 "Order {n} does not
   * exist." (so a second refund of the same entitlement is a 400, never 200 []). Else one Refund of
   * that line (`create_with_lines`, approved at once when its credit is 0): 201 [id].
   */
  private refundEntitlement(
    mine: readonly SeedOrder[],
    body: Record<string, unknown>,
    username: string,
    key: unknown,
  ): SimResponse {
    const uuid = String(body.entitlement_uuid);
    // Python's str(None) when the field is missing, as the view formats it.
    const number =
      body.order_number === undefined || body.order_number === null ? 'None' : String(body.order_number);
    const missing: SimResponse = { status: 400, body: { detail: `Order ${number} does not exist.` } };
    const order = mine.find((o) => o.number === number);
    const refunded = (u: string) =>
      this.refunds.some((r) => r.orderNumber === number && (r.entitlementUuids ?? []).includes(u));
    const line = order?.lines.find((l) => l.entitlement?.uuid === uuid && !refunded(uuid));
    if (!order || !line) return missing;
    const creditMinor = lineTotalMinor(line);
    const at = new Date().toISOString();
    const refund: LegacyRefund = {
      id: this.refunds.length + 1,
      orderNumber: order.number,
      username,
      courseKeys: [],
      entitlementUuids: [uuid],
      status: 'Open',
      totalCredit: drfDecimal(creditMinor, order.currency),
      currency: order.currency,
      orderId: Number(order.number.replace(/\D/g, '')) || 0,
      userId: [...this.knownUsers()].sort().indexOf(username) + 1,
      idempotencyKey: typeof key === 'string' ? key : null,
      createdAt: at,
      modifiedAt: at,
    };
    this.refunds.push(refund);
    if (creditMinor === 0) processRefund(APPROVER, approveNow(refund.id), this.refunds, this.effects, now);
    this.executions.refunds++;
    return { status: 201, body: [refund.id] };
  }

  /** `PUT /api/v2/refunds/{pk}/process/` (processRefund.ts); counted in `executions.processes`. */
  process(who: Identity, request: SimRequest): SimResponse {
    this.executions.processes++;
    this.processCalls.push({
      refundId: request.params[0] ?? '',
      action: String((request.body as { action?: unknown } | undefined)?.action ?? ''),
    });
    return processRefund(who, request, this.refunds, this.effects, now);
  }

  /** Every process call, in order: exactly-once checks count these. */
  readonly processCalls: { refundId: string; action: string }[] = [];

  /**
   * `GET /api/v2/refunds/`: there is no list route, only create and `{pk}/process/`. The create view's
   * permission runs first and reads `username` from the (empty) request body, so the real answer is 403.
   */
  listRefunds(): SimResponse {
    return PERMISSION_DENIED;
  }

  private knownUsers(): Set<string> {
    return new Set([...this.byNumber.values()].map((o) => o.username));
  }

  /** `PUT /api/v2/orders/{n}/fulfill/` — `order.change_order` holders (staff, or the owner) only; 406 when not fulfillable; 500 when fulfilment failed. */
  fulfill(who: Identity, number: string, render: (o: SeedOrder) => unknown): SimResponse {
    // DjangoModelPermissions (view level) first: a staff token without the model permission is 403.
    if (!this.changeOrderUsers.has(who.username)) return PERMISSION_DENIED;
    if (!who.isStaff) return PERMISSION_DENIED;
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
