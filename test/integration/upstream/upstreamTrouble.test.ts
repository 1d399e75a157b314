import { startTestStack, type TestStack } from '../../helpers/startTestStack';

const HISTORY = `{ orderHistory(pageSize: 5) { count orders { number lines { title courseRun { title } } } } }`;
const DEADLINE_MS = 400;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    LEGACY_ECOMMERCE_TIMEOUT_MS: String(DEADLINE_MS),
    DISCOVERY_TIMEOUT_MS: String(DEADLINE_MS),
  });
});
afterAll(() => stack.stop());
afterEach(() => {
  stack.simulators.legacy!.clearFaults();
  stack.simulators.discovery!.clearFaults();
});

function expectNoLeak(body: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/stack|Injected failure|at \w+ \(|node_modules|"detail"/);
}

describe('legacy ecommerce in trouble', () => {
  it('maps a 500 to UPSTREAM_ERROR naming the upstream', async () => {
    stack.simulators.legacy!.setFaults({ errorRate: 1 });
    const result = await stack.query(HISTORY, { user: 'learner1' });
    expect(result.body.data ?? null).toBeNull();
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'legacy-ecommerce',
      retryable: true,
    });
    expectNoLeak(result.body);
  });

  it('maps a malformed body to UPSTREAM_ERROR', async () => {
    stack.simulators.legacy!.setFaults({ malformedRate: 1 });
    const result = await stack.query(HISTORY, { user: 'learner1' });
    expect(result.body.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: 'legacy-ecommerce',
    });
    expectNoLeak(result.body);
  });

  it('maps a reset connection to UPSTREAM_UNAVAILABLE', async () => {
    stack.simulators.legacy!.setFaults({ resetRate: 1 });
    const result = await stack.query(HISTORY, { user: 'learner1' });
    expect(result.body.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'legacy-ecommerce',
    });
    expectNoLeak(result.body);
  });

  it('ends a hung call at its deadline with UPSTREAM_TIMEOUT', async () => {
    stack.simulators.legacy!.setFaults({ hang: true });
    const started = Date.now();
    const result = await stack.query(HISTORY, { user: 'learner1' });
    const elapsed = Date.now() - started;
    expect(result.body.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      upstream: 'legacy-ecommerce',
    });
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    // At the deadline (timeouts are not retried), plus the gateway's own work on a busy CI box.
    expect(elapsed).toBeLessThan(DEADLINE_MS + 600);
    expectNoLeak(result.body);
  });

  it('masks an order whose body is the wrong shape as UPSTREAM_ERROR, not a crash', async () => {
    stack.simulators.legacy!.setFaults({ malformedRate: 1 });
    const result = await stack.query('{ order(number: "EDX-100001") { number } }', { user: 'learner1' });
    expect(result.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR' });
  });
});

describe('catalog in trouble', () => {
  it('keeps the orders when discovery fails: courseRun null and a coded error', async () => {
    stack.simulators.discovery!.setFaults({ errorRate: 1 });
    const result = await stack.query<{ orderHistory: { orders: { lines: { courseRun: unknown }[] }[] } }>(
      HISTORY,
      { user: 'learner1' },
    );
    const orders = result.body.data!.orderHistory.orders;
    expect(orders).toHaveLength(5);
    expect(orders.flatMap((o) => o.lines.map((l) => l.courseRun))).toEqual(expect.arrayContaining([null]));
    expect(orders.flatMap((o) => o.lines).every((l) => l.courseRun === null)).toBe(true);
    expect(result.body.errors!.length).toBeGreaterThan(0);
    for (const error of result.body.errors!) {
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstream: 'discovery' });
    }
    expectNoLeak(result.body);
  });

  it('keeps the orders when the catalog subgraph itself is unreachable', async () => {
    const stack2 = await startTestStack({ CATALOG_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql' });
    try {
      const result = await stack2.query<{ orderHistory: { orders: { lines: { courseRun: unknown }[] }[] } }>(
        HISTORY,
        { user: 'learner1' },
      );
      const orders = result.body.data!.orderHistory.orders;
      expect(orders).toHaveLength(5);
      expect(orders.flatMap((o) => o.lines).every((l) => l.courseRun === null)).toBe(true);
      expect(result.body.errors![0]!.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: 'catalog',
      });
      expectNoLeak(result.body);
    } finally {
      await stack2.stop();
    }
  });
});
