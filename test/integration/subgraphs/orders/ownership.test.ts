import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { signToken } from '../../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../../platform/config/jwtEnv';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../../../simulators/seed/createSeed';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../../../simulators/vendor/createVendorSimulator';
import { parseOrdersConfig } from '../../../../subgraphs/orders/config/ordersConfig';
import { createOrderWrites } from '../../../../subgraphs/orders/createOrderWrites';
import { createOrderSystems } from '../../../../subgraphs/orders/backends/createOrderSystems';
import { createVendorOrderWrites } from '../../../../subgraphs/orders/backends/vendor/createVendorOrderWrites';
import type { OrderWrites, WriteContext } from '../../../../subgraphs/orders/port/OrderWrites';
import type { Upstream } from '../../../../upstream/Upstream';

// OrderWrites.assertChangeable, the ownership check every write makes (and the only one a write made
// with a service identity has): each adapter as the subgraph wires it, against its real simulator over
// HTTP, called directly so no resolver or gateway check stands in front of it.
const jwt = parseJwtEnv({});
const seed = createSeed();

let legacy: LegacyEcommerceSimulator;
let vendor: VendorSimulator;
let writesFor: (number: string) => OrderWrites;
let config: ReturnType<typeof parseOrdersConfig>;
const upstreams: Upstream[] = [];

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt });
  vendor = await createVendorSimulator({ orders: seed.vendorOrders ?? [], ...VENDOR_DEV_PROJECT });
  config = parseOrdersConfig({
    LEGACY_ECOMMERCE_URL: legacy.url,
    VENDOR_API_URL: vendor.url,
    VENDOR_AUTH_URL: vendor.url,
    VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
    VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
    VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
    VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
  });
  const writes = createOrderWrites(config, { logger: pino({ level: 'silent' }) });
  upstreams.push(...writes.upstreams);
  writesFor = (number) => writes.writesFor(number)!;
});
afterAll(async () => {
  await Promise.all(upstreams.map((u) => u.close()));
  await legacy.close();
  await vendor.close();
});

const as = (username: string, isStaff = false): WriteContext => ({
  identity: { username, isStaff, token: signToken(username, jwt, { staff: isStaff }) },
  requestId: randomUUID(),
  idempotencyKey: randomUUID(),
  audit: () => undefined,
});

const systems = [
  ['legacy', seed.orders, 'EDX-999999', () => ({ ...legacy.writes.executions })],
  ['vendor', seed.vendorOrders ?? [], '2U-999999', () => ({ ...vendor.writes.executions })],
] as const;

describe.each(systems)('%s OrderWrites.assertChangeable', (_system, orders, missing, executions) => {
  const owned = orders.find((o) => o.username === 'learner1')!;
  const writes = () => writesFor(owned.number);

  it('lets the owner and staff change the order', async () => {
    await expect(writes().assertChangeable(owned.number, as('learner1'))).resolves.toBeUndefined();
    await expect(writes().assertChangeable(owned.number, as('support', true))).resolves.toBeUndefined();
  });

  it('answers another learner exactly as for a missing order, and writes nothing', async () => {
    const before = executions();
    const refusal = (number: string) =>
      writes()
        .assertChangeable(number, as('learner3'))
        .then(
          () => 'allowed',
          (error: { message: string; extensions: unknown }) => ({
            message: error.message,
            extensions: error.extensions,
          }),
        );
    const foreign = await refusal(owned.number);
    expect(foreign).toEqual({ message: 'No such order', extensions: { code: 'NOT_FOUND' } });
    expect(await refusal(missing)).toEqual(foreign);
    expect(executions()).toEqual(before);
  });

  it('matches the owner’s username exactly, not a prefix of it', async () => {
    await expect(writes().assertChangeable(owned.number, as('learner'))).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
  });
});

describe('a write made with a service identity (the refund worker) still acts for one user', () => {
  const owned = seed.orders.find((o) => o.username === 'learner1')!;
  // The service user may read any order upstream: only the adapter's own check stands between it and
  // someone else's order.
  const worker = {
    username: 'ecommerce_worker',
    isStaff: true,
    token: signToken('ecommerce_worker', jwt, { staff: true }),
  };
  const acting = (username: string): WriteContext => ({
    ...as(username),
    service: { identity: async () => worker, invalidate: () => undefined },
  });

  it('refuses the legacy order of another user, as missing, though the upstream showed it', async () => {
    const before = { ...legacy.writes.executions };
    await expect(
      writesFor(owned.number).assertChangeable(owned.number, acting('learner3')),
    ).rejects.toMatchObject({
      message: 'No such order',
      extensions: { code: 'NOT_FOUND' },
    });
    await expect(
      writesFor(owned.number).assertChangeable(owned.number, acting('learner1')),
    ).resolves.toBeUndefined();
    expect(legacy.writes.executions).toEqual(before);
  });
});

describe('the vendor check reads visibility as the caller, and fails closed', () => {
  const owned = (seed.vendorOrders ?? []).find((o) => o.username === 'learner1')!;

  it('audits the visibility read it makes', async () => {
    const events: [string, Record<string, unknown> | undefined][] = [];
    const context = {
      ...as('learner1'),
      audit: (event: string, fields?: Record<string, unknown>) => void events.push([event, fields]),
    };
    await writesFor(owned.number).assertChangeable(owned.number, context);
    expect(events).toContainEqual([
      'upstream attempt',
      expect.objectContaining({ method: 'GET', path: 'orders (ownership)' }),
    ]);
  });

  it('refuses when the visibility read answers with a failure for the order', async () => {
    const systems = createOrderSystems(config, pino({ level: 'silent' }));
    upstreams.push(...systems.upstreams);
    const failed = new Error('visibility lookup failed');
    const writes = createVendorOrderWrites(
      config.vendor!,
      { getOrders: async () => [failed as never] },
      systems.upstreams,
      pino({ level: 'silent' }),
    );
    await expect(writes.assertChangeable(owned.number, as('learner1'))).rejects.toBe(failed);
  });
});
