import { isInRollout, rolloutBucket } from '../../../subgraphs/orders/layers/rollout/rolloutBucket';
import { RolloutOrdersBackend } from '../../../subgraphs/orders/layers/rollout/RolloutOrdersBackend';
import type { Order, OrderPage } from '../../../subgraphs/orders/domain/Order';
import type { OrdersMode } from '../../../subgraphs/orders/config/ordersMode';
import type {
  CallContext,
  OrderHistorySource,
  OrdersBackend,
} from '../../../subgraphs/orders/port/OrdersBackend';

const users = Array.from({ length: 20_000 }, (_, i) => `learner${i}`);
const query = (username: string) => ({ username, page: 1, pageSize: 20 });
const as = (username: string, isStaff = false, modeOverride?: string): CallContext => ({
  identity: { username, isStaff, token: 't' },
  requestId: 'r',
  ...(modeOverride === undefined ? {} : { modeOverride }),
});

/** A history that answers with one order named after it, so a test sees which mode served. */
const named = (name: string): OrdersBackend => ({
  listOrders: async () => ({ count: 1, orders: [{ number: name } as Order] }),
  getOrders: async (numbers) => numbers.map(() => null),
});
const servedBy = (page: OrderPage) => page.orders[0]?.number;

describe('rolloutBucket', () => {
  it('is the same for a user every time, and within 0–9999', () => {
    for (const user of users.slice(0, 500)) {
      const bucket = rolloutBucket(user);
      expect(rolloutBucket(user)).toBe(bucket);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(10_000);
    }
  });

  it('is sha256 → first 4 bytes → mod 10000, pinned so a refactor cannot reshuffle every user', () => {
    // sha256("learner1") starts 2e345afd: 0x2e345afd = 775183101, mod 10000 = 3101.
    expect(rolloutBucket('learner1')).toBe(3101);
    expect(rolloutBucket('learner2')).toBe(1179);
  });

  it('moves nobody at 0 and everybody at 100 %, exactly', () => {
    expect(users.filter((u) => isInRollout(u, 0))).toEqual([]);
    expect(users.filter((u) => isInRollout(u, 10_000))).toEqual(users);
  });

  it('moves about the configured share, and raising it only adds users', () => {
    const at10 = new Set(users.filter((u) => isInRollout(u, 1000)));
    const at25 = new Set(users.filter((u) => isInRollout(u, 2500)));
    expect(at10.size / users.length).toBeCloseTo(0.1, 1);
    expect(at25.size / users.length).toBeCloseTo(0.25, 1);
    expect([...at10].every((u) => at25.has(u))).toBe(true);
  });
});

describe('RolloutOrdersBackend', () => {
  const histories: Record<OrdersMode, OrderHistorySource | null> = {
    legacy: named('legacy'),
    vendor: named('vendor'),
    merged: named('merged'),
  };
  const layer = (basisPoints: number | null, overrides: Partial<typeof histories> = {}) =>
    new RolloutOrdersBackend({
      base: named('base'),
      baseMode: 'legacy',
      rollout: basisPoints === null ? null : { mode: 'vendor', basisPoints },
      histories: { ...histories, ...overrides },
    });
  const inside = users.find((u) => isInRollout(u, 5000))!;
  const outside = users.find((u) => !isInRollout(u, 5000))!;

  it('serves a user in the rollout from the rollout mode and everyone else from the base, every time', async () => {
    const backend = layer(5000);
    for (let i = 0; i < 3; i++) {
      expect(servedBy(await backend.listOrders(query(inside), as(inside)))).toBe('vendor');
      expect(servedBy(await backend.listOrders(query(outside), as(outside)))).toBe('base');
    }
  });

  it('buckets by the history owner, so staff see what the learner sees', async () => {
    const backend = layer(5000);
    expect(servedBy(await backend.listOrders(query(inside), as('support', true)))).toBe('vendor');
    expect(servedBy(await backend.listOrders(query(outside), as('support', true)))).toBe('base');
  });

  it('lets staff force any mode with the header, case and spaces aside', async () => {
    const backend = layer(null);
    expect(servedBy(await backend.listOrders(query(outside), as('support', true, ' Merged ')))).toBe(
      'merged',
    );
    expect(servedBy(await backend.listOrders(query(inside), as('support', true, 'legacy')))).toBe('base');
    expect(backend.modeFor(inside, as('support', true, 'vendor'))).toBe('vendor');
  });

  it('ignores the header from a learner, even an invalid one', async () => {
    const backend = layer(5000);
    expect(servedBy(await backend.listOrders(query(outside), as(outside, false, 'vendor')))).toBe('base');
    expect(servedBy(await backend.listOrders(query(inside), as(inside, false, 'nonsense')))).toBe('vendor');
  });

  it('answers BAD_USER_INPUT to staff for a value that names no mode, on lists and lookups alike', async () => {
    const backend = layer(5000);
    const expected = { extensions: { code: 'BAD_USER_INPUT', header: 'x-switchyard-orders-backend' } };
    await expect(
      backend.listOrders(query(outside), as('support', true, 'commercetools')),
    ).rejects.toMatchObject(expected);
    await expect(backend.getOrders(['EDX-1'], as('support', true, 'vendr'))).rejects.toMatchObject(expected);
    await expect(backend.getOrders(['EDX-1'], as('support', true))).resolves.toEqual([null]);
  });

  it('answers BAD_USER_INPUT when staff force a mode this deployment cannot serve', async () => {
    const backend = layer(null, { vendor: null });
    await expect(backend.listOrders(query(outside), as('support', true, 'vendor'))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: 'The vendor orders backend is not configured here',
    });
  });
});
