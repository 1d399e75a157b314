import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import pino from 'pino';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { MemoryIdempotencyStore } from '../../../idempotency/MemoryIdempotencyStore';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../../simulators/seed/createSeed';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../../simulators/vendor/createVendorSimulator';
import { MemoryRefundRequestStore } from '../../../subgraphs/orders/mutations/MemoryRefundRequestStore';
import { OrderMutations, type MutationCall } from '../../../subgraphs/orders/mutations/OrderMutations';
import { parseOrdersConfig } from '../../../subgraphs/orders/config/ordersConfig';
import type { OrderWrites } from '../../../subgraphs/orders/port/OrderWrites';
import { createOrderWrites } from '../../../subgraphs/orders/createOrderWrites';
import type { Upstream } from '../../../upstream/Upstream';
import { refundableOrders } from '../../helpers/refundableOrders';
import { startRefundRule, type RefundRule } from '../../helpers/startRefundRule';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../simulators/lms/createLmsOAuthSimulator';
import {
  createServiceTokens,
  type ServiceTokens,
} from '../../../subgraphs/serviceIdentity/createServiceTokens';
import { parseServiceIdentityConfig } from '../../../subgraphs/serviceIdentity/serviceIdentityConfig';

// A crash is an attempt that made its upstream call and never came back (its process died), and a
// lease that runs out on the store's injected clock; the upstreams are the real simulators.
const jwt = parseJwtEnv({});
const seed = createSeed();
const LEASE_MS = 15_000;
const DAY = 24 * 3_600_000;

let legacy: LegacyEcommerceSimulator;
let vendor: VendorSimulator;
let refusedUrl: string;
const upstreams: Upstream[] = [];

/** The production wiring (createOrderWrites) against the given legacy URL and the vendor simulator. */
function writersFor(legacyUrl: string, extra: Record<string, string> = {}) {
  const config = parseOrdersConfig({
    LEGACY_ECOMMERCE_URL: legacyUrl,
    VENDOR_API_URL: vendor.url,
    VENDOR_AUTH_URL: vendor.url,
    VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
    VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
    VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
    VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
    ...extra,
  });
  const writes = createOrderWrites(config, { logger: pino({ level: 'silent' }) });
  upstreams.push(...writes.upstreams);
  return (number: string) => writes.writesFor(number)!;
}

/**
 * The dead attempt's writer: the real upstream call is made, `died` is told, and nothing more is ever
 * heard from it — as from a process killed right after the upstream applied the change.
 */
const diesAfterUpstream = (writes: OrderWrites, died: () => void): OrderWrites => ({
  assertChangeable: (number, context) => writes.assertChangeable(number, context),
  refundFacts: (input, context) => writes.refundFacts(input, context),
  processRefunds: (number, ids, action, context) => writes.processRefunds(number, ids, action, context),
  requestRefund: async (input, context) => {
    await writes.requestRefund(input, context);
    died();
    return new Promise(() => undefined);
  },
  findRefund: (input, context) => writes.findRefund(input, context),
  fulfillOrder: async (number, context) => {
    await writes.fulfillOrder(number, context);
    died();
    return new Promise(() => undefined);
  },
  findFulfilled: (number, context) => writes.findFulfilled(number, context),
});

function harness() {
  let clock = 1_000_000;
  const audit: Record<string, unknown>[] = [];
  let writesFor: (number: string) => OrderWrites = () => {
    throw new Error('no writer chosen');
  };
  const mutations = new OrderMutations({
    writesFor: (number) => writesFor(number),
    store: new MemoryIdempotencyStore(() => clock),
    ttlMs: DAY,
    leaseMs: LEASE_MS,
    refundQueue: null,
    refundRequests: new MemoryRefundRequestStore(DAY),
    service: { identity: () => service.identity(), invalidate: (refused) => service.invalidate(refused) },
    eligibility: rule.eligibility,
    logger: pino({ level: 'info' }, { write: (line: string) => audit.push(JSON.parse(line)) }),
  });
  return {
    mutations,
    audit,
    use: (next: (number: string) => OrderWrites) => (writesFor = next),
    /** The dead attempt's lease runs out. */
    leaseLapses: () => (clock += LEASE_MS + 1),
    /** Moves the store's clock on. */
    advance: (ms: number) => (clock += ms),
  };
}

const call = (username: string, idempotencyKey: string, isStaff = false): MutationCall => ({
  identity: { username, isStaff, token: signToken(username, jwt, { staff: isStaff }) },
  requestId: randomUUID(),
  idempotencyKey,
});

let lms: LmsOAuthSimulator;
let service: ServiceTokens;
let rule: RefundRule;

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt });
  // The service user fulfilment goes as, from the LMS's OAuth2 endpoint like in production.
  lms = await createLmsOAuthSimulator({ jwt });
  service = createServiceTokens(parseServiceIdentityConfig({ LMS_OAUTH2_URL: lms.url }));
  upstreams.push(...service.upstreams);
  rule = await startRefundRule(seed, jwt, lms);
  vendor = await createVendorSimulator({
    orders: seed.vendorOrders ?? [],
    ...VENDOR_DEV_PROJECT,
  });
  // A port nothing listens on: connections to it are refused.
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  refusedUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => legacy.clearFaults());
afterAll(async () => {
  await Promise.all(upstreams.map((u) => u.close()));
  await legacy.close();
  await vendor.close();
  await rule.close();
  await lms.close();
});

describe('a takeover whose look upstream fails', () => {
  const orders = refundableOrders('learner4').map((o) => o.number);
  const broken: [string, () => (n: string) => OrderWrites, string][] = [
    ['connection refused', () => writersFor(refusedUrl), 'UPSTREAM_UNAVAILABLE'],
    [
      'timed out',
      () => {
        legacy.setFaults({ hang: true });
        return writersFor(legacy.url, {
          LEGACY_ECOMMERCE_TIMEOUT_MS: '150',
          LEGACY_ECOMMERCE_REQUEST_TIMEOUT_MS: '400',
        });
      },
      'UPSTREAM_TIMEOUT',
    ],
  ];

  it.each(broken)(
    'stays taken over (%s): the next retry reconciles instead of refunding again',
    async (_label, breakUpstream, code) => {
      const order = orders.shift()!;
      const key = randomUUID();
      const input = { orderNumber: order, courseRunKey: null, reason: null };
      const { mutations, audit, use, leaseLapses } = harness();
      const live = writersFor(legacy.url);
      await new Promise<void>((died) => {
        use((n) => diesAfterUpstream(live(n), died));
        void mutations.requestRefund(input, 'IMMEDIATE', call('learner4', key));
      });
      const applied = legacy.writes.refunds.filter((r) => r.idempotencyKey === key).map((r) => String(r.id));
      expect(applied.length).toBeGreaterThan(0);
      leaseLapses();

      // The retry takes over, and cannot look (nor check): its answer is an error, and nothing is stored.
      use(breakUpstream());
      await expect(mutations.requestRefund(input, 'IMMEDIATE', call('learner4', key))).rejects.toMatchObject({
        extensions: { code, retryable: true },
      });
      legacy.clearFaults();

      // The next retry looks again, finds the dead attempt's refund, and answers with it.
      use(live);
      const created = legacy.writes.executions.refunds;
      const retry = await mutations.requestRefund(input, 'IMMEDIATE', call('learner4', key));
      // The legacy API cannot be asked which refunds exist: the reconcile re-sends the refund, which
      // answers 200 [] (nothing left), and says the earlier ids are unknown instead of inventing them.
      expect(retry).toMatchObject({
        replayed: false,
        data: { orderNumber: order, status: 'OPEN', refundIds: [], refundIdsKnown: false },
      });
      expect(legacy.writes.executions.refunds).toBe(created);
      expect(legacy.writes.refunds.filter((r) => r.idempotencyKey === key).map((r) => String(r.id))).toEqual(
        applied,
      );
      // The takeover checks ownership first (issue 20 §6), which is what cannot reach the upstream here;
      // either way the record stays taken over and the next retry reconciles.
      expect(audit.filter((l) => l.idempotencyKey === key).map((l) => l.event)).toEqual(
        expect.arrayContaining(['refused, still taken over', 'takeover reconciled']),
      );
      expect(audit.find((l) => l.event === 'takeover reconciled')).toMatchObject({ alreadyApplied: true });
      // And that answer is now the stored one.
      const replay = await mutations.requestRefund(input, 'IMMEDIATE', call('learner4', key));
      expect(replay).toEqual({ replayed: true, data: retry.data });
    },
  );
});

describe('fulfillOrder retried after a crash', () => {
  const openLegacy = seed.orders.filter((o) => o.status === 'Open').map((o) => o.number);
  // Legacy only: vendor orders are never fulfilled (NOT_SUPPORTED_BY_BACKEND, vendorMutations.test.ts).
  const systems: [string, () => string, () => number][] = [
    ['legacy', () => openLegacy.pop()!, () => legacy.writes.executions.fulfillments],
  ];

  it.each(systems)(
    '%s: answers with the order the dead attempt fulfilled, not ORDER_NOT_FULFILLABLE',
    async (_system, pick, fulfilments) => {
      const number = pick();
      const key = randomUUID();
      const before = fulfilments();
      const { mutations, use, leaseLapses } = harness();
      const live = writersFor(legacy.url);
      await new Promise<void>((died) => {
        use((n) => diesAfterUpstream(live(n), died));
        void mutations.fulfillOrder(number, call('staff', key, true));
      });
      expect(fulfilments()).toBe(before + 1);
      leaseLapses();

      use(live);
      const retry = await mutations.fulfillOrder(number, call('staff', key, true));
      expect(retry).toMatchObject({ replayed: false, data: { number, status: 'COMPLETE' } });
      expect(fulfilments()).toBe(before + 1);
      await expect(mutations.fulfillOrder(number, call('staff', key, true))).resolves.toEqual({
        replayed: true,
        data: retry.data,
      });
    },
  );

  it('still executes when the order is not fulfilled yet (the dead attempt never got through)', async () => {
    const number = openLegacy.pop()!;
    const key = randomUUID();
    const { mutations, use, leaseLapses } = harness();
    // The dead attempt dies before its upstream call: the claim is taken, nothing is sent.
    await new Promise<void>((claimed) => {
      use(() => ({
        ...writersFor(legacy.url)(number),
        fulfillOrder: () => (claimed(), new Promise(() => undefined)),
      }));
      void mutations.fulfillOrder(number, call('staff', key, true));
    });
    leaseLapses();
    const before = legacy.writes.executions.fulfillments;
    use(writersFor(legacy.url));
    const retry = await mutations.fulfillOrder(number, call('staff', key, true));
    expect(retry.data).toMatchObject({ number, status: 'COMPLETE' });
    expect(legacy.writes.executions.fulfillments).toBe(before + 1);
  });
});

describe('a completed record lives for the key TTL, not the lease', () => {
  it('replays a retry made after the lease but inside the TTL, and forgets it after the TTL', async () => {
    const order = refundableOrders('learner4').at(-1)!.number;
    const key = randomUUID();
    const input = { orderNumber: order, courseRunKey: null, reason: null };
    const { mutations, use, advance } = harness();
    use(writersFor(legacy.url));
    const first = await mutations.requestRefund(input, 'IMMEDIATE', call('learner4', key));
    expect(first).toMatchObject({ replayed: false, data: { status: 'OPEN' } });
    const sent = legacy.writes.refundCallsByKey.get(key);

    advance(LEASE_MS + 60_000);
    const later = await mutations.requestRefund(input, 'IMMEDIATE', call('learner4', key));
    expect(later).toEqual({ replayed: true, data: first.data });
    expect(legacy.writes.refundCallsByKey.get(key)).toBe(sent);

    // Past the TTL the key is free again: the request runs anew (and finds nothing left to refund).
    advance(DAY);
    await expect(mutations.requestRefund(input, 'IMMEDIATE', call('learner4', key))).rejects.toMatchObject({
      extensions: { code: 'NOTHING_TO_REFUND' },
    });
  });
});
