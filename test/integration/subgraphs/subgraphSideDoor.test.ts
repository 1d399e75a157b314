import { baselineDataSource } from '../../../bench/baseline/baselineDataSource';
import { createGateway } from '../../../gateway/createGateway';
import { DEFAULT_QUERY } from '../../../gateway/explorer/defaultQuery';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { silentLogger } from '../../../platform/createLogger';
import { close, listen } from '../../../platform/http/listen';
import { SUBGRAPH_SECRET_HEADER } from '../../../platform/http/subgraphSecret';
import { startRecordingProxy } from '../../helpers/startRecordingProxy';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// Subgraphs serve the gateway only (docs/security.md "Subgraphs"): without the shared secret a
// request to a subgraph port gets 401 before anything runs; with it, the subgraph still applies the
// gateway's query limits itself and, in production, hides its schema.

/** The observed attack: one request, 200 history pages, each its own legacy call. */
const ALIASES_200 = `{ ${Array.from(
  { length: 200 },
  (_, i) => `p${i + 1}: orderHistory(page: ${i + 1}, pageSize: 1) { count }`,
).join(' ')} }`;
const SERVICE_SDL = '{ _service { sdl } }';
const ENTITIES = `query E($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on CourseRun { key title } }
}`;
/** The order-history page as the MFE asks for it, at the gateway's default limits (15 aliases, 5 deep). */
const PAGE = `orderHistory(page: 1, pageSize: 5) { count pageCount orders { number placedAt status
  total { amount currency } receiptUrl lines { quantity description courseRun { title organization } } } }`;
const AT_THE_LIMITS = `{ ${Array.from({ length: 15 }, (_, i) => `h${i}: ${PAGE}`).join(' ')} }`;

const upstreamCalls = (stack: TestStack) =>
  stack.simulators.legacy!.stats().total +
  stack.simulators.discovery!.stats().total +
  stack.simulators.vendor!.stats().total;
const resetStats = (stack: TestStack) => {
  stack.simulators.legacy!.resetStats();
  stack.simulators.discovery!.resetStats();
  stack.simulators.vendor!.resetStats();
};
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.map((e) => e.extensions?.code);

/** A subgraph's 401: coded, and marked as the gateway check (not a bad JWT) for the gateway's sake. */
function expectRefused(result: {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: any[] };
}) {
  expect(result.status).toBe(401);
  expect(codes(result.body)).toEqual(['UNAUTHENTICATED']);
  expect(result.body.data).toBeUndefined();
  expect(result.headers.get('www-authenticate')).toBe('Switchyard-Subgraph-Secret');
}

describe('outside production', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());
  beforeEach(() => resetStats(stack));

  const orders = () => `${stack.ordersUrl}/graphql`;
  const catalog = () => `${stack.catalogUrl}/graphql`;

  it('the orders subgraph refuses a learner’s 200-alias document without the secret: 401, no upstream call', async () => {
    const result = await stack.query(ALIASES_200, { user: 'learner1', url: orders() });
    expectRefused(result);
    expect(upstreamCalls(stack)).toBe(0);
    // Probes still reach it without the secret; `/metrics` and `/status` are on the admin port only.
    for (const path of ['/healthz', '/readyz'])
      expect((await fetch(`${stack.ordersUrl}${path}`)).status).toBe(200);
    for (const path of ['/metrics', '/status']) {
      expect((await fetch(`${stack.ordersUrl}${path}`)).status).toBe(404);
      expect((await fetch(`${stack.adminUrls.orders}${path}`)).status).toBe(200);
    }
  });

  it.each([
    ['a wrong secret', { [SUBGRAPH_SECRET_HEADER]: 'not-the-secret' }],
    ['the secret with one character more', () => ({ [SUBGRAPH_SECRET_HEADER]: `${stack.subgraphSecret}x` })],
    ['an empty secret', { [SUBGRAPH_SECRET_HEADER]: '' }],
    ['the secret under another header', () => ({ 'x-subgraph-secret': stack.subgraphSecret })],
  ])('refuses %s with 401 and no upstream call', async (_label, headers) => {
    const result = await stack.query('{ orderHistory(pageSize: 1) { count } }', {
      user: 'learner1',
      url: orders(),
      headers: typeof headers === 'function' ? headers() : headers,
    });
    expectRefused(result);
    expect(upstreamCalls(stack)).toBe(0);
  });

  it('the catalog subgraph refuses `_entities` without the secret, with no discovery call', async () => {
    const result = await stack.query(ENTITIES, {
      user: 'learner1',
      url: catalog(),
      variables: { representations: [{ __typename: 'CourseRun', key: 'course-v1:edX+DemoX+Demo_Course' }] },
    });
    expectRefused(result);
    expect(upstreamCalls(stack)).toBe(0);
  });

  it('`_service { sdl }` needs the secret on both subgraphs, token or not', async () => {
    for (const url of [orders(), catalog()]) {
      expectRefused(await stack.query(SERVICE_SDL, { url }));
      expectRefused(await stack.query(SERVICE_SDL, { url, user: 'staff', staff: true }));
      // Outside production (SUBGRAPH_INTROSPECTION defaults on) the gateway's secret still gets it.
      const allowed = await stack.query<{ _service: { sdl: string } }>(SERVICE_SDL, {
        url,
        headers: stack.subgraphHeaders,
      });
      expect(allowed.body.data?._service.sdl).toContain('type Query');
    }
  });

  it('GET with the secret in the query string is no way in either', async () => {
    const url = `${orders()}?query=${encodeURIComponent(SERVICE_SDL)}&${SUBGRAPH_SECRET_HEADER}=${stack.subgraphSecret}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(401);
  });

  it('with the secret, the 200-alias document is refused by the subgraph’s own limits, before any upstream call', async () => {
    const result = await stack.query(ALIASES_200, {
      user: 'learner1',
      url: orders(),
      headers: stack.subgraphHeaders,
    });
    // Over the token cap (about 2,800 tokens): refused while parsing, before its aliases are counted.
    expect(result.status).toBe(400);
    expect(codes(result.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
    // Sixteen fit in the token cap and meet the alias limit instead.
    const sixteen = await stack.query(ALIASES_200.split(' p17:')[0] + ' }', {
      user: 'learner1',
      url: orders(),
      headers: stack.subgraphHeaders,
    });
    expect(sixteen.status).toBe(400);
    expect(codes(sixteen.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(sixteen.body.errors?.[0]?.extensions?.limit).toEqual({ name: 'aliases', max: 15, actual: 16 });
    expect(upstreamCalls(stack)).toBe(0);

    // The same defaults as the gateway's: what the gateway accepts, its query plan's documents (orders
    // fields, then `_entities` from the catalog) pass at the subgraphs.
    const page = await stack.query<{ orderHistory: { orders: { lines: { courseRun: unknown }[] }[] } }>(
      DEFAULT_QUERY,
      { user: 'learner1' },
    );
    expect(page.body.errors).toBeUndefined();
    expect(
      page.body.data?.orderHistory.orders.flatMap((o) => o.lines.map((l) => l.courseRun)),
    ).toContainEqual(expect.objectContaining({ title: expect.any(String) }));
    const atLimits = await stack.query(AT_THE_LIMITS, { user: 'learner1' });
    expect(atLimits.body.errors).toBeUndefined();
    expect(Object.keys(atLimits.body.data ?? {})).toHaveLength(15);
  });

  it.each(['kit', 'apollo-default'])(
    'the %s subgraph client sends the secret on every subgraph call',
    async (client) => {
      const [ordersProxy, catalogProxy] = await Promise.all([
        startRecordingProxy(stack.ordersUrl),
        startRecordingProxy(stack.catalogUrl),
      ]);
      const gateway = await createGateway(
        parseGatewayConfig({
          SUBGRAPH_SHARED_SECRET: stack.subgraphSecret,
          ORDERS_SUBGRAPH_URL: `${ordersProxy.url}/graphql`,
          CATALOG_SUBGRAPH_URL: `${catalogProxy.url}/graphql`,
        }),
        // The benchmark's baseline is the same gateway given the stock data source.
        {
          logger: silentLogger(),
          ...(client === 'apollo-default' ? { buildService: baselineDataSource } : {}),
        },
      );
      const url = await listen(gateway.httpServer, 0);
      try {
        const page = await stack.query(DEFAULT_QUERY, { user: 'learner1', url: `${url}/graphql` });
        expect(page.body.errors).toBeUndefined();
        const sent = [...ordersProxy.requests, ...catalogProxy.requests];
        expect(ordersProxy.requests.length).toBeGreaterThan(0);
        expect(catalogProxy.requests.length).toBeGreaterThan(0);
        expect(sent.map((r) => r.headers[SUBGRAPH_SECRET_HEADER])).toEqual(
          sent.map(() => stack.subgraphSecret),
        );
      } finally {
        await close(gateway.httpServer, 1000);
        await gateway.stop();
        await Promise.all([ordersProxy.close(), catalogProxy.close()]);
      }
    },
  );

  it('a gateway holding another secret gets a coded upstream error, never the client’s UNAUTHENTICATED', async () => {
    const config = parseGatewayConfig({
      SUBGRAPH_SHARED_SECRET: 'a-different-secret-than-the-subgraphs-hold',
      ORDERS_SUBGRAPH_URL: orders(),
      CATALOG_SUBGRAPH_URL: catalog(),
    });
    const gateway = await createGateway(config, { logger: silentLogger() });
    const url = await listen(gateway.httpServer, 0);
    try {
      const result = await stack.query('{ orderHistory(pageSize: 1) { count } }', {
        user: 'learner1',
        url: `${url}/graphql`,
      });
      expect(codes(result.body)).toEqual(['UPSTREAM_ERROR']);
      expect(result.body.errors?.[0]?.extensions?.upstream).toBe('orders');
      expect(upstreamCalls(stack)).toBe(0);
    } finally {
      await close(gateway.httpServer, 1000);
      await gateway.stop();
    }
  });
});

describe('in production (NODE_ENV=production)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      NODE_ENV: 'production',
      // Production refuses short secrets everywhere; the simulators are started with these too.
      JWT_SECRET: 'a-production-sized-jwt-secret-for-this-test-only',
      VENDOR_CLIENT_SECRET: 'a-production-sized-vendor-client-secret-for-tests',
    });
  });
  afterAll(() => stack.stop());
  beforeEach(() => resetStats(stack));

  const asGateway = (query: string) =>
    stack.query(query, {
      user: 'learner1',
      url: `${stack.ordersUrl}/graphql`,
      headers: stack.subgraphHeaders,
    });

  it('`_service { sdl }` without the secret: 401', async () => {
    for (const url of [`${stack.ordersUrl}/graphql`, `${stack.catalogUrl}/graphql`])
      expectRefused(await stack.query(SERVICE_SDL, { url }));
  });

  it('with the secret, introspection and `_service` are refused and errors suggest no field names', async () => {
    const introspection = await asGateway('{ __schema { queryType { name } } }');
    expect(codes(introspection.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const service = await asGateway(SERVICE_SDL);
    expect(codes(service.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(service.body)).not.toContain('type Query');
    const typo = await asGateway('{ orderHistory { cout } }');
    expect(codes(typo.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
    expect(upstreamCalls(stack)).toBe(0);
    // The gateway's own traffic is unaffected: its plan has no introspection, `_entities` included.
    const page = await stack.query(DEFAULT_QUERY, { user: 'learner1' });
    expect(page.body.errors).toBeUndefined();
    expect(stack.simulators.discovery!.stats().total).toBeGreaterThan(0);
  });
});
