import type { SimResponse } from '../kit/createSimulator';
import { stableId } from './stableId';
import { CommerceCoordinator } from './CommerceCoordinator';
import { vendorError } from './vendorError';

export interface VendorReturnItem {
  id: string;
  type: 'LineItemReturnItem';
  quantity: number;
  lineItemId: string;
  shipmentState: string;
  /** `Refunded` once Commerce Coordinator refunded it (CommerceCoordinator.ts). */
  paymentState: 'Initial' | 'NonRefundable' | 'Refunded';
  createdAt: string;
  lastModifiedAt: string;
}

export interface VendorReturnInfo {
  items: VendorReturnItem[];
  returnTrackingId?: string;
  returnDate?: string;
}

/** What updates changed on one order, laid over the seed's rendering of it. */
interface OrderChanges {
  version: number;
  orderState: string;
  returnInfo: VendorReturnInfo[];
  lastModifiedAt: string;
}

export interface VendorUpdateRecord {
  orderNumber: string;
  version: number;
  actions: string[];
  /** The Idempotency-Key header the caller sent, if any (commercetools ignores it; we record it). */
  idempotencyKey: string | null;
}

// OrderState.raml. A state change only sets `orderState` (OrderChangeOrderStateAction.raml: it emits
// OrderStateChanged); in particular it never sets `completedAt`, which only Order Import does.
const ORDER_STATES = new Set(['Open', 'Confirmed', 'Complete', 'Cancelled']);
// ReturnItemDraft.raml: a new return item's shipmentState "Can either be `Advised` or `Returned` only"
// (BackInStock and Unusable are later states). Its payment state follows (ReturnShipmentState.raml):
// Returned items are refundable (Initial), Advised ones are not (NonRefundable).
const DRAFT_RETURN_PAYMENT_STATES: Readonly<Record<string, 'Initial' | 'NonRefundable'>> = {
  Returned: 'Initial',
  Advised: 'NonRefundable',
};

type Rendered = Record<string, unknown>;
type Draft = Pick<OrderChanges, 'orderState' | 'returnInfo'>;

/**
 * Order updates (`POST /{projectKey}/orders/{id}` with `{version, actions}`) with real effects:
 * optimistic concurrency on `version` (409 ConcurrentModification with `currentVersion`), all actions
 * applied or none; each rule and its source in docs/reference/vendor-commercetools.md. `executions`
 * counts the updates that changed state.
 */
export class VendorWrites {
  executions = { updates: 0, returns: 0, stateChanges: 0 };
  /** edX's reaction to returns: payment refunded, access revoked, once per return item. */
  readonly coordinator = new CommerceCoordinator();
  readonly log: VendorUpdateRecord[] = [];
  private readonly changes = new Map<string, OrderChanges>();
  private readonly interfering = new Set<string>();

  /** Told when an order changed outside a request (Commerce Coordinator's update), to refresh reads. */
  onChanged: (id: string) => void = () => undefined;

  constructor(private readonly now: () => number) {}

  /** The order as it stands after every update so far. */
  overlay(order: Rendered): Rendered {
    const changes = this.changes.get(order.id as string);
    return changes ? { ...order, ...structuredClone(changes) } : order;
  }

  /**
   * Test knob: the next update of this order finds its version bumped behind the caller's back (a
   * support agent's edit between their read and their write), so it gets one ConcurrentModification.
   */
  concurrentModificationOnce(orderNumber: string): void {
    this.interfering.add(orderNumber);
  }

  /** Applies `body` to `current` (the order as rendered now, overlay included). */
  update(current: Rendered, body: unknown, idempotencyKey: string | null): SimResponse {
    const id = current.id as string;
    const number = current.orderNumber as string;
    const { version, actions } = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    if (!Number.isInteger(version) || !Array.isArray(actions) || actions.length === 0 || actions.length > 500)
      return vendorError(
        400,
        'InvalidInput',
        'Request body must be {version, actions: [1..500 update actions]}.',
      );
    let actual = current.version as number;
    if (this.interfering.delete(number)) this.commit(id, this.stateOf(current), ++actual);
    if (version !== actual) {
      const message = `Object ${id} has a different version than expected. Expected: ${String(version)} - Actual: ${actual}.`;
      return {
        status: 409,
        body: {
          statusCode: 409,
          message,
          errors: [{ code: 'ConcurrentModification', message, currentVersion: actual }],
        },
      };
    }
    const draft = this.stateOf(current);
    for (const action of actions as Record<string, unknown>[]) {
      const refused = this.apply(draft, action, current);
      if (refused) return refused;
    }
    const before = new Set(this.stateOf(current).returnInfo.flatMap((info) => info.items.map((i) => i.id)));
    this.commit(id, draft, actual + 1);
    this.executions.updates++;
    const lines = new Map((current.lineItems as Rendered[]).map((line) => [line.id as string, line]));
    const returned = draft.returnInfo
      .flatMap((info) => info.items)
      .filter((item) => !before.has(item.id) && item.paymentState === 'Initial');
    this.coordinator.onReturned(
      returned.map((item) => ({
        orderNumber: number,
        returnItemId: item.id,
        lineItemId: item.lineItemId,
        sku:
          ((lines.get(item.lineItemId)?.variant as Rendered | undefined)?.sku as string | undefined) ?? null,
        entitlementUuid: entitlementOf(lines.get(item.lineItemId)),
      })),
      (ids) => this.markRefunded(id, ids),
    );
    for (const action of actions as Record<string, unknown>[]) {
      if (action.action === 'addReturnInfo') this.executions.returns++;
      else this.executions.stateChanges++;
    }
    this.log.push({
      orderNumber: number,
      version: actual,
      actions: actions.map((a) => String(a.action)),
      idempotencyKey,
    });
    return { status: 200 };
  }

  private apply(draft: Draft, action: Record<string, unknown>, current: Rendered): SimResponse | null {
    if (action.action === 'changeOrderState') {
      if (typeof action.orderState !== 'string' || !ORDER_STATES.has(action.orderState))
        return vendorError(400, 'InvalidInput', `Invalid orderState: ${String(action.orderState)}.`);
      draft.orderState = action.orderState;
      return null;
    }
    if (action.action !== 'addReturnInfo')
      return vendorError(
        400,
        'InvalidInput',
        `Unknown or unsupported update action: ${String(action.action)}.`,
      );
    const lineIds = new Set((current.lineItems as Rendered[]).map((line) => line.id as string));
    const drafts = Array.isArray(action.items) ? (action.items as Record<string, unknown>[]) : [];
    const badState = drafts.find(
      (item) => !Object.hasOwn(DRAFT_RETURN_PAYMENT_STATES, String(item.shipmentState)),
    );
    if (badState)
      return vendorError(
        400,
        'InvalidInput',
        `Invalid shipmentState '${String(badState.shipmentState)}': a return item starts Advised or Returned.`,
      );
    const valid = (item: Record<string, unknown>) =>
      Number.isInteger(item.quantity) &&
      (item.quantity as number) > 0 &&
      lineIds.has(item.lineItemId as string);
    // Returning more than was bought is NOT refused: not confirmed for commercetools, so the adapter
    // must count what is left itself rather than lean on the vendor.
    if (drafts.length === 0 || !drafts.every(valid))
      return vendorError(
        400,
        'InvalidOperation',
        'Return items need a quantity and a line item of this order.',
      );
    const at = new Date(this.now()).toISOString();
    const seen = draft.returnInfo.reduce((n, info) => n + info.items.length, 0);
    draft.returnInfo.push({
      items: drafts.map((item, i) => ({
        id: stableId(`return-item/${current.id as string}/${seen + i}`),
        type: 'LineItemReturnItem',
        quantity: item.quantity as number,
        lineItemId: item.lineItemId as string,
        shipmentState: item.shipmentState as string,
        paymentState: DRAFT_RETURN_PAYMENT_STATES[item.shipmentState as string] ?? 'Initial',
        createdAt: at,
        lastModifiedAt: at,
      })),
      ...(typeof action.returnTrackingId === 'string' ? { returnTrackingId: action.returnTrackingId } : {}),
      ...(typeof action.returnDate === 'string' ? { returnDate: action.returnDate } : {}),
    });
    return null;
  }

  /** Commerce Coordinator's own update: `setReturnPaymentState` Refunded, a new version. */
  private markRefunded(id: string, returnItemIds: string[]): void {
    const changes = this.changes.get(id);
    if (!changes) return;
    const draft = { orderState: changes.orderState, returnInfo: structuredClone(changes.returnInfo) };
    for (const item of draft.returnInfo.flatMap((info) => info.items))
      if (returnItemIds.includes(item.id)) item.paymentState = 'Refunded';
    this.commit(id, draft, changes.version + 1);
    this.onChanged(id);
  }

  private stateOf(order: Rendered): Draft {
    return {
      orderState: order.orderState as string,
      returnInfo: structuredClone((order.returnInfo as VendorReturnInfo[] | undefined) ?? []),
    };
  }

  private commit(id: string, draft: Draft, version: number): void {
    this.changes.set(id, { ...draft, version, lastModifiedAt: new Date(this.now()).toISOString() });
  }
}

/** The LMS entitlement Commerce Coordinator stored on a line at fulfilment, or null. */
function entitlementOf(line: Rendered | undefined): string | null {
  const fields = (line?.custom as { fields?: Record<string, unknown> } | undefined)?.fields;
  const uuid = fields?.edxLMSEntitlementId;
  return typeof uuid === 'string' ? uuid : null;
}
