import { randomUUID } from 'node:crypto';
import { silentLogger } from '../../../../../../platform/createLogger';
import type { SeedOrder } from '../../../../../../simulators/seed/SeedOrder';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import {
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
} from '../../../../../../simulators/vendor/createVendorSimulator';
import { createVendorOrderWrites } from '../../../../../../subgraphs/orders/backends/vendor/createVendorOrderWrites';
import { VendorOrdersBackend } from '../../../../../../subgraphs/orders/backends/vendor/VendorOrdersBackend';
import { VendorTokenProvider } from '../../../../../../subgraphs/orders/backends/vendor/VendorTokenProvider';
import type { WriteContext } from '../../../../../../subgraphs/orders/port/OrderWrites';
import { parseVendorConfig } from '../../../../../../subgraphs/orders/config/vendorConfig';
import { createUpstream } from '../../../../../../upstream/createUpstream';
import type { Upstream } from '../../../../../../upstream/Upstream';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

const REFUND = `mutation Refund($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status refundIds attempts lastError updatedAt }
}`;
const FULFILL = `mutation Fulfill($number: ID!) { fulfillOrder(number: $number) { number status placedAt } }`;

const seed = createSeed();
const vendorOrders = seed.vendorOrders!;
const ordersOf = (user: string, status: string, minLines = 1) =>
  vendorOrders.filter((o) => o.username === user && o.status === status && o.lines.length >= minLines);
/** Hands out each order once per stack, so no test sees another's writes. */
const picker = (orders: SeedOrder[]) => {
  let next = 0;
  return () => orders[next++]!;
};
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.map((e) => e.extensions?.code);

// Writes are routed by number in every mode, so vendor orders are writable whatever ORDERS_BACKEND says.
describe.each(['vendor', 'legacy'])('vendor order writes in %s mode', (mode) => {
  let stack: TestStack;
  let accessToken: string;
  const completeOf3 = picker(ordersOf('learner3', 'Complete', 2));
  const openOf3 = picker(ordersOf('learner3', 'Open'));

  beforeAll(async () => {
    stack = await startTestStack({ ORDERS_BACKEND: mode });
    const { clientId, clientSecret } = VENDOR_DEV_PROJECT;
    const response = await fetch(`${vendor().url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    accessToken = ((await response.json()) as { access_token: string }).access_token;
  });
  afterAll(() => stack.stop());

  const vendor = () => stack.simulators.vendor!;
  const executions = () => ({ ...vendor().writes.executions });
  /** The order as the vendor holds it now, read past the adapter. */
  const vendorOrder = async (number: string): Promise<Record<string, any>> => {
    const url = `${vendor().url}/${VENDOR_DEV_PROJECT.projectKey}/orders/order-number=${number}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
    return (await response.json()) as Record<string, any>;
  };
  const refund = (user: string, orderNumber: string, key: string, extra: Record<string, unknown> = {}) =>
    stack.query<{ requestRefund: { refundIds: string[]; status: string } }>(REFUND, {
      user,
      variables: { input: { orderNumber, ...extra } },
      headers: { 'idempotency-key': key },
    });
  const fulfill = (number: string, key = randomUUID()) =>
    stack.query(FULFILL, {
      user: 'staff',
      staff: true,
      variables: { number },
      headers: { 'idempotency-key': key },
    });

  describe('requestRefund', () => {
    it("returns a learner's own order once, keyed for reconciliation, and replays it identically", async () => {
      const order = completeOf3();
      const key = randomUUID();
      const before = executions();
      const first = await refund('learner3', order.number, key);
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data).toMatchObject({
        requestRefund: { orderNumber: order.number, status: 'DELIVERED', attempts: 1, lastError: null },
      });
      expect(executions().updates).toBe(before.updates + 1);
      const stored = await vendorOrder(order.number);
      expect(stored.returnInfo).toEqual([
        expect.objectContaining({ returnTrackingId: key, items: expect.any(Array) }),
      ]);
      const itemIds = stored.returnInfo[0].items.map((item: { id: string }) => item.id);
      expect(itemIds).toHaveLength(order.lines.length);
      expect(first.body.data!.requestRefund.refundIds).toEqual(itemIds);
      expect(vendor().writes.log.at(-1)).toMatchObject({ orderNumber: order.number, idempotencyKey: key });

      const replay = await refund('learner3', order.number, key);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.data).toEqual(first.body.data);
      expect(executions().updates).toBe(before.updates + 1);
    });

    it('returns one course run, then the rest, then has nothing left to refund', async () => {
      const order = completeOf3();
      const [firstLine] = order.lines;
      const one = await refund('learner3', order.number, randomUUID(), {
        courseRunKey: firstLine!.courseKey,
      });
      expect(one.body.data?.requestRefund.refundIds).toHaveLength(1);
      const rest = await refund('learner3', order.number, randomUUID());
      expect(rest.body.data?.requestRefund.refundIds).toHaveLength(order.lines.length - 1);
      const again = await refund('learner3', order.number, randomUUID());
      expect(codes(again.body)).toEqual(['NOTHING_TO_REFUND']);
      expect((await vendorOrder(order.number)).returnInfo).toHaveLength(2);
    });

    it('has nothing to refund on an order that is not Complete, and writes nothing', async () => {
      const before = executions();
      const result = await refund('learner3', openOf3().number, randomUUID());
      expect(codes(result.body)).toEqual(['NOTHING_TO_REFUND']);
      expect(executions()).toEqual(before);
    });

    it("cannot touch another learner's vendor order: NOT_FOUND, as for a missing one, nothing written", async () => {
      const before = executions();
      const other = await refund('learner1', completeOf3().number, randomUUID());
      const missing = await refund('learner1', '2U-999999', randomUUID());
      const noCustomer = await refund('learner2', ordersOf('learner1', 'Complete')[0]!.number, randomUUID());
      for (const result of [other, missing, noCustomer]) {
        expect(codes(result.body)).toEqual(['NOT_FOUND']);
        expect(result.body.errors![0]!.message).toBe('No such order');
      }
      expect(executions()).toEqual(before);
    });

    it('staff may refund any learner’s vendor order', async () => {
      const result = await stack.query<{ requestRefund: { status: string } }>(REFUND, {
        user: 'staff',
        staff: true,
        variables: { input: { orderNumber: completeOf3().number } },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(result.body.data?.requestRefund.status).toBe('DELIVERED');
    });

    it('re-reads and retries after a ConcurrentModification, applying exactly one return', async () => {
      const order = completeOf3();
      vendor().writes.concurrentModificationOnce(order.number);
      const before = executions();
      const result = await refund('learner3', order.number, randomUUID());
      expect(result.body.errors).toBeUndefined();
      expect(executions().updates).toBe(before.updates + 1);
      await vendor().writes.coordinator.idle();
      const stored = await vendorOrder(order.number);
      expect(stored.returnInfo).toHaveLength(1);
      // Seeded at version 3: the interfering edit made it 4, our retried update 5, and Commerce
      // Coordinator's refund of the return (paymentState Refunded) 6.
      expect(stored.version).toBe(6);
      expect(result.body.data!.requestRefund.refundIds).toEqual(
        stored.returnInfo[0].items.map((item: { id: string }) => item.id),
      );
    });
  });

  // commercetools' changeOrderState only sets orderState (OrderChangeOrderStateAction.raml); it
  // enrolls nobody, so fulfilment is not offered on vendor orders (docs/reference/vendor-commercetools.md).
  describe('fulfillOrder', () => {
    it('refuses every vendor order with NOT_SUPPORTED_BY_BACKEND, writing nothing upstream', async () => {
      const open = openOf3().number;
      const numbers = [open, completeOf3().number, ordersOf('learner1', 'Cancelled')[0]!.number, '2U-999999'];
      const before = executions();
      const logged = vendor().writes.log.length;
      vendor().resetStats();
      for (const number of numbers) {
        const result = await fulfill(number);
        expect(result.body.data).toBeNull();
        expect(result.body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringContaining('cannot be fulfilled'),
            extensions: expect.objectContaining({ code: 'NOT_SUPPORTED_BY_BACKEND', backend: 'vendor' }),
          }),
        ]);
      }
      expect(executions()).toEqual(before);
      expect(vendor().writes.log).toHaveLength(logged);
      expect(vendor().stats().byRoute['orders.update']).toBeUndefined();
      expect((await vendorOrder(open)).orderState).toBe('Open');
    });

    it('is for staff only, refused before any upstream call', async () => {
      vendor().resetStats();
      stack.simulators.legacy!.resetStats();
      const learner = await stack.query(FULFILL, {
        user: 'learner3',
        variables: { number: openOf3().number },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(codes(learner.body)).toEqual(['FORBIDDEN']);
      expect(vendor().stats().total + stack.simulators.legacy!.stats().total).toBe(0);
    });
  });

  describe('findRefund (crash reconciliation), on the writer itself', () => {
    const upstreams: Upstream[] = [];
    afterAll(() => Promise.all(upstreams.map((u) => u.close())));

    /** The writer as the subgraph builds it, on its own clients against this stack's simulator. */
    function writer() {
      const config = parseVendorConfig(
        {
          VENDOR_API_URL: vendor().url,
          VENDOR_AUTH_URL: vendor().url,
          VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
          VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
          VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
          VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor().url),
        },
        'for this test',
      )!;
      const [api, auth] = [createUpstream(config.api), createUpstream(config.auth)];
      upstreams.push(api, auth);
      const tokens = new VendorTokenProvider({
        auth,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
      });
      // Learners' own writes only: no staff lookup of another learner reaches the LMS here.
      const learnerIds = { userIdOf: async () => Promise.reject(new Error('not a staff read')) };
      const visibility = new VendorOrdersBackend({
        ...config,
        api,
        tokens,
        learnerIds,
        logger: silentLogger(),
      });
      return createVendorOrderWrites(config, visibility, upstreams, silentLogger());
    }
    const context = (username: string, idempotencyKey: string): WriteContext => ({
      identity: { username, isStaff: false, token: 'unused' },
      requestId: randomUUID(),
      idempotencyKey,
      audit: () => undefined,
    });

    it('finds what requestRefund recorded under the key, and nothing under another key', async () => {
      const order = completeOf3();
      const key = randomUUID();
      const refunded = await refund('learner3', order.number, key);
      const input = { orderNumber: order.number, courseRunKey: null, reason: null };
      const writes = writer();
      expect(await writes.findRefund(input, context('learner3', key))).toEqual({
        orderNumber: order.number,
        refundIds: refunded.body.data!.requestRefund.refundIds,
      });
      expect(await writes.findRefund(input, context('learner3', randomUUID()))).toBeNull();
      await expect(writes.findRefund(input, context('learner1', key))).rejects.toMatchObject({
        extensions: { code: 'NOT_FOUND' },
      });
    });

    it('refuses fulfilment and its reconciliation before any upstream call', async () => {
      const writes = writer();
      const number = openOf3().number;
      vendor().resetStats();
      const ctx = {
        ...context('staff', randomUUID()),
        identity: { username: 'staff', isStaff: true, token: 'unused' },
      };
      for (const attempt of [
        () => writes.fulfillOrder(number, ctx),
        () => writes.findFulfilled(number, ctx),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ extensions: { code: 'NOT_SUPPORTED_BY_BACKEND' } });
      }
      expect(vendor().stats().total).toBe(0);
    });

    it('audits every upstream attempt and answer, the conflict included', async () => {
      const order = completeOf3();
      vendor().writes.concurrentModificationOnce(order.number);
      const events: [string, Record<string, unknown> | undefined][] = [];
      const ctx = {
        ...context('learner3', randomUUID()),
        audit: (e: string, f?: Record<string, unknown>) => events.push([e, f]),
      };
      const input = { orderNumber: order.number, courseRunKey: null, reason: null };
      const receipt = await writer().requestRefund(input, ctx);
      expect(receipt.refundIds).toHaveLength(order.lines.length);
      const posts = events.filter(([e, f]) => e === 'upstream answered' && f?.method === 'POST');
      expect(posts.map(([, f]) => f?.status)).toEqual([409, 200]);
      expect(events.map(([e]) => e)).toContain('upstream conflict');
      const attempts = events.filter(([e]) => e === 'upstream attempt').length;
      expect(events.filter(([e]) => e === 'upstream answered')).toHaveLength(attempts);
    });
  });
});
