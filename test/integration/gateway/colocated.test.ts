import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { ORDER_HISTORY_QUERY } from '../../../bench/orderHistoryQuery';
import { refundableOrders } from '../../helpers/refundableOrders';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';
import { idOf, parentOf, serviceOf, SpanCollector, traceOf } from '../../helpers/SpanCollector';

// The co-located deployment (colocated/): the gateway runs both subgraphs' Apollo pipelines
// in its own process. What a client sees must not tell the two deployments apart — same data, same
// coded errors, same replay marks — and the subgraphs' own checks (the JWT again) still run.

const REFUND = `mutation Refund($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status }
}`;

let separate: TestStack;
let colocated: TestStack;
const spans = new SpanCollector();
beforeAll(async () => {
  [separate, colocated] = await Promise.all([
    startTestStack(),
    startTestStack({}, { colocated: true, spans }),
  ]);
});
afterAll(() => Promise.all([separate?.stop(), colocated?.stop()]));
afterEach(() => colocated.simulators.legacy!.clearFaults());

/** The same request to both deployments, at once. */
const both = (user: string) =>
  Promise.all([
    separate.query(ORDER_HISTORY_QUERY, { user, variables: { page: 1 } }),
    colocated.query(ORDER_HISTORY_QUERY, { user, variables: { page: 1 } }),
  ]);

const adminText = async (stack: TestStack, path: string) =>
  (await fetch(`${stack.adminUrls.gateway}${path}`)).text();

it.each(['learner1', 'learner3', 'learner10'])(
  "answers %s's order-history page with exactly the separate deployment's data",
  async (user) => {
    const [a, b] = await both(user);
    expect(b.status).toBe(200);
    expect(b.body.errors).toBeUndefined();
    expect((b.body.data as any).orderHistory.orders.length).toBeGreaterThan(0);
    // Receipt links name each stack's own legacy simulator; everything else must match byte for byte.
    const local = (s: TestStack, body: unknown) =>
      JSON.stringify(body).replaceAll(s.simulators.legacy!.url, 'LEGACY');
    expect(local(colocated, b.body)).toBe(local(separate, a.body));
  },
);

it('makes no gateway → subgraph HTTP call: the gateway has no client for the subgraphs', async () => {
  await colocated.query(ORDER_HISTORY_QUERY, { user: 'learner1', variables: { page: 1 } });
  await separate.query(ORDER_HISTORY_QUERY, { user: 'learner1', variables: { page: 1 } });
  const subgraphCalls = /switchyard_upstream_calls_total\{[^}]*upstream="orders"/;
  expect(await adminText(separate, '/metrics')).toMatch(subgraphCalls);
  expect(await adminText(colocated, '/metrics')).not.toMatch(subgraphCalls);
});

it("serves the subgraphs' metrics on the gateway's admin port, each under its component", async () => {
  await colocated.query(ORDER_HISTORY_QUERY, { user: 'learner3', variables: { page: 1 } });
  const text = await adminText(colocated, '/metrics');
  expect(text).toMatch(
    /switchyard_upstream_calls_total\{[^}]*upstream="legacy-ecommerce"[^}]*component="orders-subgraph"/,
  );
  expect(text).toMatch(
    /switchyard_upstream_calls_total\{[^}]*upstream="discovery"[^}]*component="catalog-subgraph"/,
  );
  // One family per name, however many registries contribute to it.
  expect(text.match(/^# TYPE switchyard_upstream_calls_total /gm)).toHaveLength(1);
});

it("lists the subgraphs' upstreams on /status and /readyz instead of the subgraphs themselves", async () => {
  const status = JSON.parse(await adminText(colocated, '/status')) as { upstreams: { name: string }[] };
  const names = status.upstreams.map((u) => u.name);
  expect(names).toEqual(expect.arrayContaining(['legacy-ecommerce', 'discovery']));
  expect(names).not.toContain('orders');
  expect(names).not.toContain('catalog');
  const ready = await fetch(`${colocated.adminUrls.gateway}/readyz`);
  expect(ready.status).toBe(200);
  expect(((await ready.json()) as { breakers: Record<string, string> }).breakers).toHaveProperty(
    'legacy-ecommerce',
    'closed',
  );
});

it("shows the orders subgraph's rollout section on its admin port's /status, as the orders subgraph's own does", async () => {
  const status = JSON.parse(await adminText(colocated, '/status')) as {
    component: string;
    degraded: boolean;
    rollout?: { halted: boolean; store: string; windows: unknown };
  };
  expect(status.component).toBe('gateway');
  expect(status.degraded).toBe(false);
  expect(status.rollout).toMatchObject({ halted: false, store: 'memory' });
  expect(status.rollout).toHaveProperty('windows');
});

it('still refuses a bad token and an anonymous page, before any upstream call', async () => {
  const before = colocated.simulators.legacy!.stats().total;
  const bad = await colocated.query(ORDER_HISTORY_QUERY, {
    authorization: 'JWT not-a-token',
    variables: { page: 1 },
  });
  expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  const anonymous = await colocated.query(ORDER_HISTORY_QUERY, { variables: { page: 1 } });
  expect(anonymous.body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(colocated.simulators.legacy!.stats().total).toBe(before);
});

it("answers a failing upstream with the same coded error, and keeps the rest of the page's plan", async () => {
  for (const stack of [separate, colocated])
    stack.simulators.legacy!.setFaults({ errorRate: 1, errorStatus: 503 });
  const [a, b] = await both('learner51');
  separate.simulators.legacy!.clearFaults();
  expect(b.body.errors![0]!.extensions).toMatchObject({
    code: 'UPSTREAM_ERROR',
    upstream: 'legacy-ecommerce',
  });
  expect(b.body.errors!.map((e) => e.extensions?.code)).toEqual(
    a.body.errors!.map((e) => e.extensions?.code),
  );
  expect(b.body.errors!.map((e) => e.path)).toEqual(a.body.errors!.map((e) => e.path));
});

it('executes a refund once and marks its replay, header and extension, as over HTTP', async () => {
  const key = randomUUID();
  const orderNumber = refundableOrders('learner1')[7]!.number;
  const refund = () =>
    colocated.query<any>(REFUND, {
      user: 'learner1',
      variables: { input: { orderNumber } },
      headers: { 'idempotency-key': key },
    });
  const executed = () => colocated.simulators.legacy!.writes.executions.refunds;
  const before = executed();
  const first = await refund();
  const afterFirst = executed();
  expect(afterFirst).toBeGreaterThan(before);
  expect(first.body.errors).toBeUndefined();
  expect(first.body.data.requestRefund).toMatchObject({ orderNumber, status: 'OPEN' });
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  const again = await refund();
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.body.extensions).toEqual({ idempotency: { replayed: true } });
  expect(again.body.data).toEqual(first.body.data);
  // The replay reached no upstream write.
  expect(executed()).toBe(afterFirst);
});

it("cannot refund someone else's order in process either", async () => {
  const result = await colocated.query(REFUND, {
    user: 'learner1',
    variables: { input: { orderNumber: refundableOrders('learner3')[8]!.number } },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(result.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
});

it('keeps one trace: gateway SERVER span → one span per subgraph operation → its upstream calls', async () => {
  const requestId = `trace-${randomUUID()}`;
  const HISTORY =
    'query History { orderHistory(pageSize: 5) { count orders { number lines { courseRun { title } } } } }';
  const result = await colocated.query(HISTORY, { user: 'learner1', headers: { 'x-request-id': requestId } });
  expect(result.body.errors).toBeUndefined();
  const gateway = await spans.waitFor(
    (s) =>
      serviceOf(s) === 'switchyard-gateway' &&
      s.kind === SpanKind.SERVER &&
      s.attributes['switchyard.request_id'] === requestId,
  );
  // The subgraphs name their own spans, never the gateway's.
  expect(gateway.name).toBe('query History');
  const orders = await spans.waitFor(
    (s) =>
      serviceOf(s) === 'switchyard-orders' && traceOf(s) === traceOf(gateway) && s.kind === SpanKind.INTERNAL,
  );
  expect(parentOf(orders)).toBe(idOf(gateway));
  expect(orders.name).toMatch(/^query History__orders__\d+$/);
  expect(orders.attributes['switchyard.request_id']).toBe(requestId);
  const toLegacy = await spans.waitFor(
    (s) =>
      traceOf(s) === traceOf(gateway) &&
      s.kind === SpanKind.CLIENT &&
      s.attributes['switchyard.upstream'] === 'legacy-ecommerce',
  );
  expect(parentOf(toLegacy)).toBe(idOf(orders));
  const catalog = await spans.waitFor(
    (s) =>
      serviceOf(s) === 'switchyard-catalog' &&
      traceOf(s) === traceOf(gateway) &&
      s.kind === SpanKind.INTERNAL,
  );
  expect(parentOf(catalog)).toBe(idOf(gateway));
});
