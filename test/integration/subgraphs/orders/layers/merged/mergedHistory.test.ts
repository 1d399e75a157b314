import { performance } from 'node:perf_hooks';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

const HISTORY = `query H($page: Int, $pageSize: Int) {
  orderHistory(page: $page, pageSize: $pageSize) { count complete orders { number } }
}`;

interface History {
  orderHistory: { count: number; complete: boolean; orders: { number: string }[] };
}

// Short vendor deadlines keep the failure tests quick (retries included, a call gives up within 600 ms).
const QUICK_VENDOR = {
  VENDOR_API_TIMEOUT_MS: '300',
  VENDOR_AUTH_TIMEOUT_MS: '300',
  VENDOR_API_REQUEST_TIMEOUT_MS: '600',
  VENDOR_AUTH_REQUEST_TIMEOUT_MS: '600',
};

async function legacyOnly(page = 1, pageSize = 20): Promise<History['orderHistory']> {
  const stack = await startTestStack({ ORDERS_BACKEND: 'legacy' });
  try {
    const result = await stack.query<History>(HISTORY, { user: 'learner1', variables: { page, pageSize } });
    return result.body.data!.orderHistory;
  } finally {
    await stack.stop();
  }
}

describe('merged history reads', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ ORDERS_BACKEND: 'merged' });
  });
  afterAll(() => stack.stop());

  // learner3 has 200 legacy orders and 40 vendor orders: every page below needs a deep read, so the
  // bound is what binds. A page after the first is read in two steps: every system's first page (it
  // brings the totals, so a page past the end stops there), then the deep read.
  it.each([
    [1, 20],
    [3, 20],
    [2, 50],
  ])(
    'page %i of size %i reads page × size orders (+1 from legacy) from each sorted source, after the first page',
    async (page, pageSize) => {
      const [legacy, vendor] = [stack.simulators.legacy!, stack.simulators.vendor!];
      legacy.resetStats();
      vendor.resetStats();
      const result = await stack.query<History>(HISTORY, { user: 'learner3', variables: { page, pageSize } });
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data!.orderHistory.orders).toHaveLength(pageSize);
      const depth = page * pageSize;
      const reads = page === 1 ? 1 : 2;
      const firstPage = page === 1 ? 0 : pageSize;
      // The legacy API promises no order among equal instants: one order more shows whether a tie
      // straddles the cut (learner3's do not, so one call per step is enough).
      expect(legacy.stats().byRoute).toEqual({ 'orders.list': reads });
      expect(legacy.stats().rowsByRoute['orders.list']).toBe(depth + 1 + (firstPage && firstPage + 1));
      // The vendor is read as two sorted streams (with and without completedAt), each at most `depth`;
      // not read again when its first page held all its orders (40 fit in a page of 50).
      const vendorReads = pageSize >= 40 ? 1 : reads;
      expect(vendor.stats().byRoute['orders.query']).toBe(2 * vendorReads);
      expect(vendor.stats().maxRowsByRoute['orders.query']).toBeLessThanOrEqual(depth);
      expect(vendor.stats().rowsByRoute['orders.query']).toBeLessThanOrEqual(2 * depth + 2 * firstPage);
    },
  );
});

describe('merged history when one system fails', () => {
  let stack: TestStack;
  beforeEach(async () => {
    stack = await startTestStack({ ORDERS_BACKEND: 'merged', ...QUICK_VENDOR });
  });
  afterEach(() => stack.stop());

  it('is complete, and larger than either system, while both answer', async () => {
    const result = await stack.query<History>(HISTORY, { user: 'learner1' });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.orderHistory).toMatchObject({ complete: true, count: 45 + 12 });
  });

  it('serves the legacy orders with complete:false and a coded error naming the vendor, when the vendor fails', async () => {
    await stack.query(HISTORY, { user: 'learner1' }); // the service token is cached: the API call is what fails
    stack.simulators.vendor!.setFaults({ errorRate: 1 });

    const result = await stack.query<History>(HISTORY, { user: 'learner1' });

    expect(result.body.data!.orderHistory).toEqual({ ...(await legacyOnly()), complete: false });
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors?.[0]).toMatchObject({
      message: expect.any(String),
      path: ['orderHistory'],
      extensions: { code: 'UPSTREAM_ERROR', upstream: 'vendor-commerce', retryable: true },
    });
  });

  it('reports the failure at the field’s own path when it is aliased', async () => {
    stack.simulators.vendor!.setFaults({ errorRate: 1 });
    const result = await stack.query<{ mine: History['orderHistory'] }>(
      `{ mine: orderHistory(pageSize: 5) { complete orders { number } } }`,
      { user: 'learner1' },
    );
    expect(result.body.data!.mine.complete).toBe(false);
    expect(result.body.errors?.[0]).toMatchObject({
      path: ['mine'],
      extensions: { upstream: expect.stringMatching(/^vendor-/) },
    });
  });

  it('serves the vendor orders when the legacy system fails, naming it', async () => {
    stack.simulators.legacy!.setFaults({ errorRate: 1 });
    const result = await stack.query<History>(HISTORY, { user: 'learner1' });
    expect(result.body.data!.orderHistory).toMatchObject({ complete: false, count: 12 });
    expect(result.body.data!.orderHistory.orders.every((o) => o.number.startsWith('2U-'))).toBe(true);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'legacy-ecommerce',
    });
  });

  it('serves the legacy orders when the vendor is gone altogether (connection refused)', async () => {
    await stack.simulators.vendor!.close();
    const result = await stack.query<History>(HISTORY, { user: 'learner1' });
    expect(result.body.data!.orderHistory).toEqual({ ...(await legacyOnly()), complete: false });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: expect.stringMatching(/^vendor-/),
    });
  });

  it('fails as a whole only when both systems fail', async () => {
    stack.simulators.legacy!.setFaults({ errorRate: 1 });
    stack.simulators.vendor!.setFaults({ errorRate: 1 });
    const result = await stack.query<History>(HISTORY, { user: 'learner1' });
    expect(result.body.data).toBeNull();
    expect(result.body.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
  });
});

describe('vendor-only history when the vendor fails', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ ORDERS_BACKEND: 'vendor', ...QUICK_VENDOR });
  });
  afterAll(() => stack.stop());
  afterEach(() => stack.simulators.vendor!.clearFaults());

  it('answers a coded error, not a partial page', async () => {
    stack.simulators.vendor!.setFaults({ errorRate: 1 });
    const result = await stack.query<History>(HISTORY, { user: 'learner1' });
    expect(result.body.data).toBeNull();
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: expect.stringMatching(/^UPSTREAM_/),
      upstream: expect.stringMatching(/^vendor-/),
    });
  });

  it('answers UPSTREAM_TIMEOUT within the vendor deadline when the vendor hangs', async () => {
    stack.simulators.vendor!.setFaults({ hang: true });
    const started = performance.now();
    const result = await stack.query<History>(HISTORY, { user: 'learner1' });
    const elapsedMs = performance.now() - started;
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      upstream: expect.stringMatching(/^vendor-/),
    });
    // The whole-call deadline is 600 ms; the gateway's own is 5 s and must not be what fired.
    expect(elapsedMs).toBeLessThan(2000);
  });
});
