import { createSeed } from '../../../../../../simulators/seed/createSeed';
import {
  createVendorSimulator,
  type VendorSimulator,
} from '../../../../../../simulators/vendor/createVendorSimulator';
import type { CallContext } from '../../../../../../subgraphs/orders/port/OrdersBackend';
import type { Upstream } from '../../../../../../upstream/Upstream';
import { createVendorAdapter } from '../../../../../helpers/createVendorAdapter';

// The vendor adapter is called with a service credential that can read every customer, so it checks
// visibility itself, whatever the resolver in front of it did: called directly here, with no resolver.
const seed = createSeed();
let simulator: VendorSimulator;
const upstreams: Upstream[] = [];

beforeEach(async () => {
  simulator = await createVendorSimulator({ orders: seed.vendorOrders ?? [] });
});
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
  await simulator.close();
});

const as = (username: string, isStaff = false): CallContext => ({
  identity: { username, isStaff, token: 'unused' },
  requestId: 'r',
});

it("refuses a learner's listing of another user's orders without calling the vendor", async () => {
  const adapter = createVendorAdapter(simulator.url, upstreams);
  await expect(
    adapter.listOrders({ username: 'learner3', page: 1, pageSize: 5 }, as('learner1')),
  ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  expect(simulator.stats().total).toBe(0);
});

it("lets staff list anyone's orders and a learner their own, and only their own", async () => {
  const adapter = createVendorAdapter(simulator.url, upstreams);
  const byStaff = await adapter.listOrders(
    { username: 'learner3', page: 1, pageSize: 50 },
    as('staff', true),
  );
  const own = await adapter.listOrders({ username: 'learner3', page: 1, pageSize: 50 }, as('learner3'));
  expect(own.orders.length).toBeGreaterThan(0);
  expect(own).toEqual(byStaff);
  const learner3Numbers = new Set(
    (seed.vendorOrders ?? []).filter((o) => o.username === 'learner3').map((o) => o.number),
  );
  expect(own.orders.every((o) => learner3Numbers.has(o.number))).toBe(true);
});

it("answers null for another customer's order numbers, exactly as for unknown ones", async () => {
  const adapter = createVendorAdapter(simulator.url, upstreams);
  const theirs = (seed.vendorOrders ?? []).find((o) => o.username === 'learner3')!.number;
  const mine = (seed.vendorOrders ?? []).find((o) => o.username === 'learner1')!.number;
  const found = await adapter.getOrders([theirs, mine, '2U-999999'], as('learner1'));
  expect(found.map((o) => o?.number ?? null)).toEqual([null, mine, null]);
});
