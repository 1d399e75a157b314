import { createGateway, type Gateway } from '../../../gateway/createGateway';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { SubgraphDataSource } from '../../../gateway/SubgraphDataSource';
import { silentLogger } from '../../../platform/createLogger';
import { close, listen } from '../../../platform/http/listen';
import { DEFAULT_QUERY } from '../../../gateway/explorer/defaultQuery';
import { configError } from '../../helpers/configError';
import { promSample } from '../../helpers/promSample';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// Demand control over real HTTP (docs/reference/demand-control.md, docs/reference/resilience.md T16):
// the gateway estimates each operation from the supergraph's @cost/@listSize and refuses one over
// GATEWAY_MAX_COST (default 5000) before any subgraph or upstream call.
const HEAVY_PAGE = (pageSize: string) =>
  `{ orderHistory(pageSize: ${pageSize}) { orders { number lines { title courseRun { title } } } } }`;

let stack: TestStack;
let gateway: Gateway;
let gatewayUrl: string;
let metricsUrl: string;
let subgraphCalls = 0;
beforeAll(async () => {
  stack = await startTestStack();
  // A gateway of our own on the stack's subgraphs, to count every subgraph call at its data source.
  const config = parseGatewayConfig({
    RATE_LIMIT_ENABLED: 'false',
    SUBGRAPH_SHARED_SECRET: stack.subgraphSecret,
    ORDERS_SUBGRAPH_URL: `${stack.ordersUrl}/graphql`,
    CATALOG_SUBGRAPH_URL: `${stack.catalogUrl}/graphql`,
  });
  gateway = await createGateway(config, {
    logger: silentLogger(),
    buildService: ({ upstream, subgraphSecret }) => {
      const source = new SubgraphDataSource(upstream, subgraphSecret);
      return {
        process: (options) => {
          subgraphCalls++;
          return source.process(options);
        },
      };
    },
  });
  gatewayUrl = await listen(gateway.httpServer, 0);
  metricsUrl = `${await listen(gateway.adminServer, 0)}/metrics`;
});
afterAll(async () => {
  await close(gateway.httpServer, 1000);
  await close(gateway.adminServer, 1000);
  await gateway.stop();
  await stack.stop();
});
beforeEach(() => {
  stack.simulators.legacy!.resetStats();
  stack.simulators.discovery!.resetStats();
});

async function metrics(): Promise<string> {
  return (await fetch(metricsUrl)).text();
}

const query = (text: string, variables?: Record<string, unknown>) =>
  stack.query(text, { user: 'learner1', variables, url: `${gatewayUrl}/graphql` });

const upstreamCalls = () =>
  stack.simulators.legacy!.stats().total + stack.simulators.discovery!.stats().total;

async function expectRefused(
  text: string,
  variables: Record<string, unknown> | undefined,
  estimated: number,
) {
  const before = await metrics();
  const callsBefore = subgraphCalls;
  const { status, body } = await query(text, variables);
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors?.[0]?.extensions).toMatchObject({
    code: 'COST_LIMIT_EXCEEDED',
    cost: { estimated, max: 5000 },
  });
  const after = await metrics();
  expect(subgraphCalls).toBe(callsBefore);
  expect(upstreamCalls()).toBe(0);
  const rejected = (text: string) =>
    promSample(text, 'switchyard_operation_cost_estimated_count', { result: 'COST_LIMIT_EXCEEDED' }) ?? 0;
  expect(rejected(after)).toBe(rejected(before) + 1);
}

it('serves the MFE’s order-history page, estimated at 350, and records estimated and actual cost', async () => {
  const before = await metrics();
  const callsBefore = subgraphCalls;
  const { status, body } = await query(DEFAULT_QUERY, { page: 1 });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  const orders = (body.data as any).orderHistory.orders as { lines: unknown[] }[];
  expect(orders.length).toBeGreaterThan(0);
  expect(subgraphCalls).toBeGreaterThan(callsBefore);

  const after = await metrics();
  const ok = { result: 'COST_OK' };
  const sum = (text: string, name: string, labels = {}) => promSample(text, `${name}_sum`, labels) ?? 0;
  const count = (text: string, name: string, labels = {}) => promSample(text, `${name}_count`, labels) ?? 0;
  expect(count(after, 'switchyard_operation_cost_estimated', ok)).toBe(
    count(before, 'switchyard_operation_cost_estimated', ok) + 1,
  );
  expect(
    sum(after, 'switchyard_operation_cost_estimated', ok) -
      sum(before, 'switchyard_operation_cost_estimated', ok),
  ).toBe(350);
  // Actual: the same weights over the lists the response really holds (learner1's orders, their lines).
  const lines = orders.reduce((n, order) => n + order.lines.length, 0);
  const expectedActual = 10 + orders.length * 2 + lines * 3;
  expect(count(after, 'switchyard_operation_cost_actual')).toBe(
    count(before, 'switchyard_operation_cost_actual') + 1,
  );
  expect(
    sum(after, 'switchyard_operation_cost_actual') - sum(before, 'switchyard_operation_cost_actual'),
  ).toBe(expectedActual);
});

it('refuses a page sliced too large, from a literal or a variable, before any subgraph call', async () => {
  // 10 + 400 orders × (1 + 5 lines × (1 + 2)) = 6410
  await expectRefused(HEAVY_PAGE('400'), undefined, 6410);
  await expectRefused(
    `query($size: Int!) { orderHistory(pageSize: $size) { orders { number lines { title courseRun { title } } } } }`,
    { size: 400 },
    6410,
  );
  // The same shape at a size the limit admits goes through (the subgraph caps pages at 100 itself).
  const fine = await query(HEAVY_PAGE('100'));
  expect(fine.body.errors).toBeUndefined();
});

it('refuses fifteen aliased copies of the MFE page that the alias limit alone would let through', async () => {
  const page = 'orderHistory(pageSize: 20) { orders { total { amount } lines { courseRun { title } } } }';
  const aliased = `{ ${Array.from({ length: 15 }, (_, i) => `p${i}: ${page}`).join(' ')} }`;
  await expectRefused(aliased, undefined, 15 * 350);
});

it('stops start-up on a GATEWAY_MAX_COST that is not a positive integer, naming it', () => {
  expect(configError(() => parseGatewayConfig({ GATEWAY_MAX_COST: '0' }))).toMatch(/GATEWAY_MAX_COST/);
  expect(configError(() => parseGatewayConfig({ GATEWAY_MAX_COST: 'lots' }))).toMatch(/GATEWAY_MAX_COST/);
  expect(parseGatewayConfig({}).maxCost).toBe(5000);
});
