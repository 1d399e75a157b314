import type { SimulatorStats } from '../../../../../simulators/kit/createSimulator';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';

interface Page {
  count: number;
  orders: { number: string }[];
}

// learner3 has 200 legacy orders and 40 vendor orders: a deep page needs a deep read of both.
const LEARNER = 'learner3';
const BUDGET = 20;

/** What the orders subgraph asked of an upstream: every call but the vendor's shared token. */
function reads(stats: SimulatorStats) {
  const calls = Object.entries(stats.byRoute)
    .filter(([route]) => route !== 'oauth.token')
    .reduce((sum, [, n]) => sum + n, 0);
  const rows = Object.values(stats.rowsByRoute).reduce((sum, n) => sum + n, 0);
  return { calls, rows };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    ORDERS_BACKEND: 'merged',
    ORDERS_MAX_UPSTREAM_CALLS_PER_REQUEST: String(BUDGET),
  });
});
afterAll(() => stack.stop());

/** Runs a query for learner3 and returns it with what each upstream served for it. */
async function measured<T>(query: string) {
  const [legacy, vendor] = [stack.simulators.legacy!, stack.simulators.vendor!];
  legacy.resetStats();
  vendor.resetStats();
  const result = await stack.query<T>(query, { user: LEARNER });
  return { result, legacy: reads(legacy.stats()), vendor: reads(vendor.stats()) };
}

describe('merged history read cost', () => {
  it('answers a page past the end with the right count for no more than the first page costs', async () => {
    await stack.query('{ orderHistory { count } }', { user: LEARNER }); // vendor token cached beforehand
    const first = await measured<{ orderHistory: Page }>(
      '{ orderHistory(page: 1, pageSize: 100) { count orders { number } } }',
    );
    const past = await measured<{ orderHistory: Page }>(
      '{ orderHistory(page: 100, pageSize: 100) { count orders { number } } }',
    );

    expect(first.result.body.data!.orderHistory.orders).toHaveLength(100);
    expect(past.result.body.errors).toBeUndefined();
    expect(past.result.body.data!.orderHistory).toEqual({ count: 240, orders: [] });
    expect(past.legacy.calls).toBeLessThanOrEqual(first.legacy.calls);
    expect(past.legacy.rows).toBeLessThanOrEqual(first.legacy.rows);
    expect(past.vendor.calls).toBeLessThanOrEqual(first.vendor.calls);
    expect(past.vendor.rows).toBeLessThanOrEqual(first.vendor.rows);
    // The whole legacy history was 200 rows; the first page's read is 100 + 1 (the tie check).
    expect(past.legacy.rows).toBe(101);
  });

  it(`caps fifteen aliases of deep pages at ${BUDGET} upstream calls, refusing the rest with REQUEST_BUDGET_EXCEEDED`, async () => {
    await stack.query('{ orderHistory { count } }', { user: LEARNER });
    // One deep page is well within the budget.
    const one = await measured<{ orderHistory: { count: number } }>(
      '{ orderHistory(page: 2, pageSize: 10) { count } }',
    );
    expect(one.result.body.errors).toBeUndefined();
    expect(one.result.body.data!.orderHistory.count).toBe(240);

    // Distinct pages, so no two aliases are the same loader key: each is a deep read of its own.
    const aliases = Array.from(
      { length: 15 },
      (_, i) => `p${i + 2}: orderHistory(page: ${i + 2}, pageSize: 10) { count }`,
    );
    const { result, legacy, vendor } = await measured(`{ ${aliases.join('\n')} }`);

    expect(legacy.calls + vendor.calls).toBeLessThanOrEqual(BUDGET);
    const errors = result.body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error).toMatchObject({
        path: [expect.stringMatching(/^p\d+$/)],
        extensions: { code: 'REQUEST_BUDGET_EXCEEDED' },
      });
    }
  });
});
