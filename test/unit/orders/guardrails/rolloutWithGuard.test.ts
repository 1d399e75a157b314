import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import type { OrdersMode } from '../../../../subgraphs/orders/config/ordersMode';
import type { Order } from '../../../../subgraphs/orders/domain/Order';
import { RolloutOrdersBackend } from '../../../../subgraphs/orders/layers/rollout/RolloutOrdersBackend';
import type {
  CallContext,
  OrderHistorySource,
  OrdersBackend,
} from '../../../../subgraphs/orders/port/OrdersBackend';

const as = (username: string, isStaff = false, modeOverride?: string): CallContext => ({
  identity: { username, isStaff, token: 't' },
  requestId: 'r',
  ...(modeOverride === undefined ? {} : { modeOverride }),
});
const query = (username: string) => ({ username, page: 1, pageSize: 20 });

/** A history named after its mode; `fail` makes its next reads throw what it returns. */
function history(name: string) {
  const state: { fail: (() => unknown) | null; release: (() => void) | null; hold: boolean } = {
    fail: null,
    release: null,
    hold: false,
  };
  const source: OrdersBackend = {
    listOrders: async () => {
      if (state.hold) await new Promise<void>((r) => (state.release = r));
      if (state.fail) throw state.fail();
      return { count: 1, orders: [{ number: name } as Order] };
    },
    getOrders: async (numbers) => numbers.map(() => null),
  };
  return { source, state };
}

function setup() {
  const legacy = history('legacy');
  const vendor = history('vendor');
  const served: [OrdersMode, boolean][] = [];
  const guard = {
    halted: false,
    isHalted: () => guard.halted,
    recordServed: (m: OrdersMode, ok: boolean) => void served.push([m, ok]),
  };
  const histories: Record<OrdersMode, OrderHistorySource | null> = {
    legacy: legacy.source,
    vendor: vendor.source,
    merged: null,
  };
  const backend = new RolloutOrdersBackend({
    base: legacy.source,
    baseMode: 'legacy',
    rollout: { mode: 'vendor', basisPoints: 10_000 },
    histories,
    guard,
  });
  return { backend, guard, served, vendor };
}

describe('RolloutOrdersBackend with a guard', () => {
  it('sends everyone to ORDERS_BACKEND while halted; a staff override still wins', async () => {
    const { backend, guard } = setup();
    expect(backend.modeFor('learner1', as('learner1'))).toBe('vendor');
    guard.halted = true;
    expect(backend.modeFor('learner1', as('learner1'))).toBe('legacy');
    expect((await backend.listOrders(query('learner1'), as('learner1'))).orders[0]?.number).toBe('legacy');
    expect(backend.modeFor('learner1', as('staff', true, 'vendor'))).toBe('vendor');
  });

  it('leaves a read already routed where it is when a halt arrives mid-flight', async () => {
    const { backend, guard, vendor, served } = setup();
    vendor.state.hold = true;
    const inFlight = backend.listOrders(query('learner1'), as('learner1'));
    await new Promise((r) => setImmediate(r));
    guard.halted = true;
    vendor.state.release?.();
    expect((await inFlight).orders[0]?.number).toBe('vendor');
    expect(served).toEqual([['vendor', true]]);
  });

  it("reports system failures as the mode's errors, and not the caller's mistakes or a caller gone", async () => {
    const { backend, vendor, served } = setup();
    vendor.state.fail = () => codedError(ErrorCode.UPSTREAM_TIMEOUT, 'slow');
    await expect(backend.listOrders(query('learner1'), as('learner1'))).rejects.toThrow('slow');
    vendor.state.fail = () => new Error('mapping bug');
    await expect(backend.listOrders(query('learner1'), as('learner1'))).rejects.toThrow('mapping bug');
    vendor.state.fail = () => codedError(ErrorCode.BAD_USER_INPUT, 'no such page');
    await expect(backend.listOrders(query('learner1'), as('learner1'))).rejects.toThrow('no such page');
    vendor.state.fail = () => codedError(ErrorCode.REQUEST_BUDGET_EXCEEDED, 'budget');
    await expect(backend.listOrders(query('learner1'), as('learner1'))).rejects.toThrow('budget');
    const gone = new AbortController();
    gone.abort();
    vendor.state.fail = () => codedError(ErrorCode.UPSTREAM_UNAVAILABLE, 'aborted');
    await expect(
      backend.listOrders(query('learner1'), { ...as('learner1'), signal: gone.signal }),
    ).rejects.toThrow('aborted');
    expect(served).toEqual([
      ['vendor', false],
      ['vendor', false],
    ]);
  });
});
