import { createGateway, type Gateway } from '../../../gateway/createGateway';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import type { Env } from '../../../platform/config/parseEnv';
import { silentLogger } from '../../../platform/createLogger';
import { close, listen } from '../../../platform/http/listen';
import { configError } from '../../helpers/configError';
import { promSample } from '../../helpers/promSample';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// Per-user rate limits at the gateway (docs/security.md "Rate limits"), in memory, over real HTTP, on
// the real stack with the legacy simulator at its real 75 requests a minute. The limiter's clock is
// injected and held still unless a test moves it, so no window depends on how fast this box runs.

const PAGE = 'query P($page: Int!) { orderHistory(page: $page, pageSize: 5) { count orders { number } } }';
const REFUND = 'mutation { requestRefund(input: { orderNumber: "EDX-100001" }) { id } }';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ LEGACY_SIMULATOR_THROTTLE_RATE: '75/minute' });
});
afterAll(() => stack.stop());

interface Limited {
  url: string;
  clock: { now: number };
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/** A gateway over the stack's subgraphs with the rate limiter on, its clock in the test's hands. */
async function limitedGateway(env: Env = {}): Promise<Limited> {
  const clock = { now: 1_700_000_000_000 };
  const config = parseGatewayConfig({
    SUBGRAPH_SHARED_SECRET: stack.subgraphSecret,
    ORDERS_SUBGRAPH_URL: `${stack.ordersUrl}/graphql`,
    CATALOG_SUBGRAPH_URL: `${stack.catalogUrl}/graphql`,
    ...env,
  });
  const gateway: Gateway = await createGateway(config, { logger: silentLogger(), now: () => clock.now });
  const url = await listen(gateway.httpServer, 0);
  const admin = await listen(gateway.adminServer, 0);
  return {
    url,
    clock,
    metrics: async () => (await fetch(`${admin}/metrics`)).text(),
    stop: async () => {
      await close(gateway.adminServer, 1000);
      await close(gateway.httpServer, 1000);
      await gateway.stop();
    },
  };
}

async function post(
  url: string,
  query: string,
  options: {
    user?: string;
    staff?: boolean;
    variables?: Record<string, unknown>;
    headers?: Record<string, string>;
  } = {},
) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.user
        ? { authorization: `JWT ${stack.token(options.user, { staff: options.staff })}` }
        : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

const codeOf = (r: Awaited<ReturnType<typeof post>>) => r.body.errors?.[0]?.extensions?.code;

describe('the default limits', () => {
  let gateway: Limited;
  beforeAll(async () => {
    gateway = await limitedGateway();
  });
  afterAll(() => gateway.stop());

  it('keep a learner asking 100 pages inside the legacy throttle, while another learner is served', async () => {
    stack.simulators.legacy!.resetStats();
    const pages = Array.from({ length: 100 }, (_, i) => i);
    const [greedy, other] = await Promise.all([
      Promise.all(
        pages.map((i) => post(gateway.url, PAGE, { user: 'learner1', variables: { page: 1 + (i % 2) } })),
      ),
      Promise.all(
        Array.from({ length: 10 }, () =>
          post(gateway.url, PAGE, { user: 'learner7', variables: { page: 1 } }),
        ),
      ),
    ]);
    const limited = greedy.filter((r) => r.status === 429);
    expect(limited.length).toBe(40);
    for (const r of limited) {
      expect(codeOf(r)).toBe('RATE_LIMITED');
      expect(r.body.errors?.[0]?.extensions?.retryAfter).toBe(60);
      expect(r.retryAfter).toBe('60');
      expect(r.body.data).toBeUndefined();
    }
    const served = greedy.filter((r) => r.status === 200);
    expect(served).toHaveLength(60);
    for (const r of served) expect(r.body.errors).toBeUndefined();
    // The other learner, at the same moment: every page answered.
    for (const r of other) {
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.orderHistory.orders.length).toBeGreaterThan(0);
    }
    // The legacy API never throttled anyone, and learner1 made at most 75 of its calls (each of the
    // other learner's pages made at least one).
    const legacyCalls = stack.simulators.legacy!.stats().byRoute['orders.list'] ?? 0;
    expect(legacyCalls - other.length).toBeLessThanOrEqual(75);
    expect(legacyCalls).toBeGreaterThanOrEqual(60 + other.length);
    const metrics = await gateway.metrics();
    const sample = (outcome: string) =>
      promSample(metrics, 'switchyard_rate_limit_decisions_total', {
        caller: 'learner',
        operation: 'query',
        outcome,
      });
    expect(sample('limited')).toBe(40);
    expect(sample('allowed')).toBe(70);
    expect(promSample(metrics, 'switchyard_rate_limit_shared')).toBe(0);
  });
});

describe('the window', () => {
  it('slides: a refused learner is let in again as the oldest requests leave the window', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_OPERATIONS: '3', RATE_LIMIT_WINDOW_MS: '10000' });
    try {
      const me = { user: 'learner3' };
      expect((await post(gateway.url, '{ __typename }', me)).status).toBe(200);
      gateway.clock.now += 4000;
      expect((await post(gateway.url, '{ __typename }', me)).status).toBe(200);
      expect((await post(gateway.url, '{ __typename }', me)).status).toBe(200);
      const refused = await post(gateway.url, '{ __typename }', me);
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toBe('6'); // the first request leaves the window 6 s from now
      gateway.clock.now += 5999;
      expect((await post(gateway.url, '{ __typename }', me)).retryAfter).toBe('1');
      gateway.clock.now += 1;
      expect((await post(gateway.url, '{ __typename }', me)).status).toBe(200);
      // Refused requests counted nothing: the two from t+4 s are the only ones left, so one more fits.
      expect((await post(gateway.url, '{ __typename }', me)).status).toBe(429);
      gateway.clock.now += 4000;
      expect((await post(gateway.url, '{ __typename }', me)).status).toBe(200);
      expect((await post(gateway.url, '{ __typename }', me)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});

describe('mutations', () => {
  it('have their own lower limit; queries go on once mutations are refused', async () => {
    const gateway = await limitedGateway({ RATE_LIMIT_OPERATIONS: '10', RATE_LIMIT_MUTATIONS: '2' });
    try {
      const me = { user: 'learner4' };
      // Without an Idempotency-Key the orders subgraph refuses the refund before any write.
      for (let i = 0; i < 2; i++)
        expect(codeOf(await post(gateway.url, REFUND, me))).toBe('IDEMPOTENCY_KEY_REQUIRED');
      stack.simulators.legacy!.resetStats();
      const refused = await post(gateway.url, REFUND, me);
      expect(refused.status).toBe(429);
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      expect(stack.simulators.legacy!.stats().total).toBe(0);
      const page = await post(gateway.url, PAGE, { ...me, variables: { page: 1 } });
      expect(page.status).toBe(200);
      expect(page.body.data.orderHistory.count).toBeGreaterThan(0);
      // Mutations count among all operations too: 2 mutations + 1 page + 7 more = the 10.
      for (let i = 0; i < 7; i++) expect((await post(gateway.url, '{ __typename }', me)).status).toBe(200);
      expect(codeOf(await post(gateway.url, '{ __typename }', me))).toBe('RATE_LIMITED');
      const metrics = await gateway.metrics();
      expect(
        promSample(metrics, 'switchyard_rate_limit_decisions_total', {
          caller: 'learner',
          operation: 'mutation',
          outcome: 'limited',
        }),
      ).toBe(1);
    } finally {
      await gateway.stop();
    }
  });
});

describe('callers', () => {
  let gateway: Limited;
  beforeAll(async () => {
    gateway = await limitedGateway({
      RATE_LIMIT_OPERATIONS: '2',
      RATE_LIMIT_STAFF_OPERATIONS: '4',
      RATE_LIMIT_SERVICE_USERS: 'reporting_worker,other_worker',
      RATE_LIMIT_SERVICE_OPERATIONS: '6',
      RATE_LIMIT_ANONYMOUS_OPERATIONS: '3',
      RATE_LIMIT_TRUSTED_PROXIES: '1',
    });
  });
  afterAll(() => gateway.stop());

  const allowedOf = async (count: number, options: Parameters<typeof post>[2]) => {
    let allowed = 0;
    for (let i = 0; i < count; i++)
      if ((await post(gateway.url, '{ __typename }', options)).status === 200) allowed++;
    return allowed;
  };

  it('counts each user apart, staff and service users under their own limits', async () => {
    expect(await allowedOf(5, { user: 'learner5' })).toBe(2);
    expect(await allowedOf(5, { user: 'learner6' })).toBe(2);
    expect(await allowedOf(8, { user: 'staff5', staff: true })).toBe(4);
    expect(await allowedOf(8, { user: 'reporting_worker' })).toBe(6);
  });

  it('counts anonymous requests per client address, the one the trusted proxy saw', async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': `203.0.113.99, ${address}` } });
    expect(await allowedOf(5, from('198.51.100.1'))).toBe(3);
    const refused = await post(gateway.url, '{ __typename }', from('198.51.100.1'));
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    // What the client wrote itself (the left entry) is not who it is.
    expect(await allowedOf(3, { headers: { 'x-forwarded-for': '10.0.0.1, 198.51.100.2' } })).toBe(3);
  });
});

it('stops start-up on a bad limit, naming the variable', () => {
  expect(configError(() => parseGatewayConfig({ RATE_LIMIT_OPERATIONS: '0' }))).toMatch(
    /RATE_LIMIT_OPERATIONS/,
  );
  expect(configError(() => parseGatewayConfig({ RATE_LIMIT_SERVICE_USERS: 'a, b' }))).toMatch(
    /RATE_LIMIT_SERVICE_USERS/,
  );
  expect(configError(() => parseGatewayConfig({ RATE_LIMIT_TRUSTED_PROXIES: '-1' }))).toMatch(
    /RATE_LIMIT_TRUSTED_PROXIES/,
  );
});
