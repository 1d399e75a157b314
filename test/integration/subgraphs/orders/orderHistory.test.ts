import { createSeed } from '../../../../simulators/seed/createSeed';
import { getJson, startTestStack, type TestStack } from '../../../helpers/startTestStack';

const HISTORY = `query History($username: String, $page: Int, $pageSize: Int) {
  orderHistory(username: $username, page: $page, pageSize: $pageSize) {
    count page pageSize pageCount
    orders { number placedAt status total { amount currency } discount { amount currency } receiptUrl
      lines { title description quantity unitPrice { amount } linePrice { amount } courseRun { key title } } }
  }
}`;

interface HistoryData {
  orderHistory: {
    count: number;
    page: number;
    pageSize: number;
    pageCount: number;
    orders: {
      number: string;
      placedAt: string;
      status: string;
      total: { amount: string; currency: string };
      receiptUrl: string;
      lines: { title: string; quantity: number; courseRun: { key: string; title: string } | null }[];
    }[];
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());
beforeEach(() => {
  stack.simulators.legacy!.resetStats();
  stack.simulators.discovery!.resetStats();
});

describe('orderHistory on the legacy ecommerce API', () => {
  it.each([
    ['learner1', 1, 20],
    ['learner1', 3, 20],
    ['learner3', 2, 7],
    ['learner3', 1, 100],
    ['learner7', 1, 13],
  ])('%s page %i size %i matches the legacy REST answer', async (user, page, pageSize) => {
    const legacy = await getJson(
      `${stack.simulators.legacy!.url}/api/v2/orders/?username=${user}&page=${page}&page_size=${pageSize}`,
      `JWT ${stack.token(user)}`,
    );
    const result = await stack.query<HistoryData>(HISTORY, { user, variables: { page, pageSize } });
    expect(result.body.errors).toBeUndefined();
    const history = result.body.data!.orderHistory;
    expect(history.count).toBe(legacy.body.count);
    expect(history.pageCount).toBe(Math.ceil(legacy.body.count / pageSize));
    expect(history.orders.map((o) => o.number)).toEqual(legacy.body.results.map((o: any) => o.number));
    history.orders.forEach((order, i) => {
      const rest = legacy.body.results[i];
      expect(Number(order.total.amount)).toBe(Number(rest.total_excl_tax));
      expect(order.total.currency).toBe(rest.currency);
      expect(order.lines.map((l) => [l.title, l.quantity])).toEqual(
        rest.lines.map((l: any) => [l.title, l.quantity]),
      );
      expect(order.receiptUrl).toBe(
        `${stack.simulators.legacy!.url}/checkout/receipt/?order_number=${rest.number}`,
      );
    });
  });

  it('returns newest first', async () => {
    const result = await stack.query<HistoryData>(HISTORY, {
      user: 'learner3',
      variables: { pageSize: 100 },
    });
    const dates = result.body.data!.orderHistory.orders.map((o) => o.placedAt);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it.each([20, 100])(
    'costs one legacy call and ceil(distinct runs / 50) discovery calls at pageSize %i',
    async (pageSize) => {
      const result = await stack.query<HistoryData>(HISTORY, { user: 'learner3', variables: { pageSize } });
      expect(result.body.errors).toBeUndefined();
      const keys = new Set(
        result.body
          .data!.orderHistory.orders.flatMap((o) => o.lines.map((l) => l.courseRun?.key))
          .filter(Boolean),
      );
      expect(stack.simulators.legacy!.stats().byRoute).toEqual({ 'orders.list': 1 });
      expect(stack.simulators.legacy!.stats().rowsByRoute).toEqual({ 'orders.list': pageSize });
      // Unknown keys resolve to null, so count the keys the orders ask for, not the ones found.
      const legacy = await getJson(
        `${stack.simulators.legacy!.url}/api/v2/orders/?username=learner3&page=1&page_size=${pageSize}`,
        `JWT ${stack.token('learner3')}`,
      );
      const asked = new Set(
        legacy.body.results.flatMap((o: any) =>
          o.lines.flatMap((l: any) =>
            l.product.attribute_values.filter((a: any) => a.code === 'course_key').map((a: any) => a.value),
          ),
        ),
      );
      expect(keys.size).toBeGreaterThan(0);
      expect(stack.simulators.discovery!.stats().byRoute['course_runs.list']).toBe(
        Math.ceil(asked.size / 50),
      );
    },
  );

  it('renders awkward data: JPY without minor digits, an unknown course run as null, an odd status as UNKNOWN', async () => {
    const result = await stack.query<HistoryData>(HISTORY, { user: 'learner1', variables: { pageSize: 10 } });
    const orders = result.body.data!.orderHistory.orders;
    const jpy = orders.find((o) => o.total.currency === 'JPY');
    expect(jpy?.total.amount).toBe('1500');
    const ghost = orders.find((o) => o.lines.some((l) => l.title === 'Seat in Retired Course'));
    expect(ghost?.lines[0]?.courseRun).toBeNull();
    expect(orders.some((o) => o.status === 'UNKNOWN')).toBe(true);
    expect(result.body.errors).toBeUndefined();
  });

  it('answers a page past the end with no orders and the right count', async () => {
    const result = await stack.query<HistoryData>(HISTORY, {
      user: 'learner1',
      variables: { page: 99, pageSize: 20 },
    });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.orderHistory).toMatchObject({ count: 45, page: 99, pageCount: 3, orders: [] });
    // DRF answers a page past the end 404 "Invalid page." without a count: the one case that costs a
    // second call (page 1 of size 1) to learn it. Every real page costs exactly one.
    expect(stack.simulators.legacy!.stats().byRoute).toEqual({ 'orders.list': 2 });
    expect(stack.simulators.legacy!.stats().rowsByRoute).toEqual({ 'orders.list': 1 });
  });

  it('gives a learner with no orders an empty first page', async () => {
    const result = await stack.query<HistoryData>(HISTORY, { user: 'learner2' });
    expect(result.body.data!.orderHistory).toMatchObject({ count: 0, pageCount: 0, orders: [] });
  });

  it('lets staff read any learner', async () => {
    const result = await stack.query<HistoryData>(HISTORY, {
      user: 'staff',
      staff: true,
      variables: { username: 'learner1' },
    });
    expect(result.body.data!.orderHistory.count).toBe(45);
  });
});

describe('order(number)', () => {
  const ORDER = `query One($number: ID!) { order(number: $number) { number total { amount } lines { courseRun { title } } } }`;

  it('returns the learner’s own order', async () => {
    const result = await stack.query<{ order: { number: string } }>(ORDER, {
      user: 'learner1',
      variables: { number: 'EDX-100001' },
    });
    expect(result.body.data!.order.number).toBe('EDX-100001');
  });

  it.each([['EDX-100050'], ['EDX-999999']])(
    'returns null for %s (someone else’s or unknown), indistinguishably',
    async (number) => {
      const result = await stack.query(ORDER, { user: 'learner1', variables: { number } });
      expect(result.body).toEqual({ data: { order: null } });
    },
  );
});

describe('courseRun(key), from the catalog subgraph', () => {
  const RUN = `query Run($key: ID!) { courseRun(key: $key) { key title organization imageUrl marketingUrl start } }`;

  it('answers a known course run with discovery’s data, in one discovery call', async () => {
    const seeded = createSeed().courseRuns[0]!;
    const result = await stack.query<{ courseRun: Record<string, unknown> }>(RUN, {
      user: 'learner1',
      variables: { key: seeded.key },
    });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.courseRun).toMatchObject({
      key: seeded.key,
      title: seeded.title,
      organization: seeded.org,
      start: new Date(seeded.start).toISOString().replace('.000Z', 'Z'),
    });
    expect(stack.simulators.discovery!.stats().total).toBe(1);
  });

  it('answers null for an unknown key, and UNAUTHENTICATED without a token', async () => {
    const unknown = await stack.query(RUN, { user: 'learner1', variables: { key: 'course-v1:Nobody+X+1' } });
    expect(unknown.body).toEqual({ data: { courseRun: null } });
    const calls = () => stack.simulators.legacy!.stats().total + stack.simulators.discovery!.stats().total;
    const before = calls();
    const anonymous = await stack.query(RUN, { variables: { key: 'course-v1:Nobody+X+1' } });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(calls()).toBe(before);
  });
});
