import { createSeed } from '../../../../../../simulators/seed/createSeed';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  type VendorSimulator,
} from '../../../../../../simulators/vendor/createVendorSimulator';
import type { VendorOrdersBackend } from '../../../../../../subgraphs/orders/backends/vendor/VendorOrdersBackend';
import type { CallContext } from '../../../../../../subgraphs/orders/port/OrdersBackend';
import type { Upstream } from '../../../../../../upstream/Upstream';
import { createVendorAdapter } from '../../../../../helpers/createVendorAdapter';

const TTL_SECONDS = 3600;
const CONCURRENT = 50;
const seed = createSeed();

let now: number;
let simulator: VendorSimulator;
const upstreams: Upstream[] = [];

beforeEach(async () => {
  now = Date.UTC(2026, 0, 1);
  simulator = await createVendorSimulator({
    orders: seed.vendorOrders ?? [],
    tokenTtlSeconds: TTL_SECONDS,
    now: () => now,
  });
});
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
  await simulator.close();
});

/** The vendor adapter on real HTTP against the simulator, sharing its clock. */
const vendorBackend = (clientSecret = VENDOR_DEV_PROJECT.clientSecret) =>
  createVendorAdapter(simulator.url, upstreams, { now: () => now, clientSecret });

const learner3: CallContext = {
  identity: { username: 'learner3', isStaff: false, token: 'unused' },
  requestId: 'r',
};
const burst = (backend: VendorOrdersBackend) =>
  Promise.all(
    Array.from({ length: CONCURRENT }, () =>
      backend.listOrders({ username: 'learner3', page: 1, pageSize: 5 }, learner3),
    ),
  );
const calls = () => simulator.stats().byRoute;

describe('vendor service token', () => {
  it(`is fetched once for ${CONCURRENT} concurrent first requests, then reused`, async () => {
    const backend = vendorBackend();
    const pages = await burst(backend);
    expect(pages.every((p) => p.count === 40 && p.orders.length === 5)).toBe(true);
    await burst(backend);
    expect(calls()['oauth.token']).toBe(1);
  });

  it(`is renewed once when the vendor revokes it under ${CONCURRENT} concurrent requests`, async () => {
    const backend = vendorBackend();
    await backend.listOrders({ username: 'learner3', page: 1, pageSize: 5 }, learner3);
    simulator.expireAllTokens();
    simulator.resetStats();

    const pages = await burst(backend);

    expect(pages.every((p) => p.count === 40)).toBe(true);
    expect(calls()['oauth.token']).toBe(1);
  });

  it('is renewed before it expires, so no request meets a 401', async () => {
    const backend = vendorBackend();
    await backend.listOrders({ username: 'learner3', page: 1, pageSize: 5 }, learner3);
    simulator.resetStats();
    // Inside the renewal margin (a tenth of an hour's lifetime), still valid at the vendor.
    now += (TTL_SECONDS - 100) * 1000;

    await burst(backend);

    // One customer lookup and two order queries per request, none repeated after a 401.
    expect(calls()).toEqual({
      'oauth.token': 1,
      'customers.query': CONCURRENT,
      'orders.query': 2 * CONCURRENT,
    });
  });

  it('turns refused client credentials into a coded error naming the auth upstream', async () => {
    const backend = vendorBackend('wrong-secret');
    await expect(
      backend.listOrders({ username: 'learner3', page: 1, pageSize: 5 }, learner3),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'vendor-auth',
    });
  });
});
