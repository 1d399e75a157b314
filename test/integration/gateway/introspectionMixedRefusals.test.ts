import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, type Gateway } from '../../../gateway/createGateway';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { sha256Hex } from '../../../gateway/safelist/PersistedQueryManifest';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import type { Env } from '../../../platform/config/parseEnv';
import { silentLogger } from '../../../platform/createLogger';
import { close, listen } from '../../../platform/http/listen';
import { startRecordingProxy, type RecordingProxy } from '../../helpers/startRecordingProxy';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// Issue 20 §6: two refusals that held but that no test would have noticed regressing. A gateway of
// its own, calling the test stack's real subgraphs through recording proxies: a refused document
// must reach neither (0 requests), and the same document with a token shows the proxies do count.
const HISTORY = 'query MyCount { orderHistory(pageSize: 1) { count } }';
const MIXED: [string, string][] = [
  ['__typename beside a real field', '{ __typename orderHistory(pageSize: 1) { count } }'],
  ['__schema beside a real field', '{ __schema { queryType { name } } orderHistory(pageSize: 1) { count } }'],
  ['__type after a real field', '{ orderHistory(pageSize: 1) { count } __type(name: "Query") { name } }'],
  ['an aliased real field beside __typename', '{ t: __typename o: orderHistory(pageSize: 1) { count } }'],
  [
    'a fragment spread at the root',
    'query { __typename ...F } fragment F on Query { orderHistory(pageSize: 1) { count } }',
  ],
  ['an inline fragment at the root', '{ __typename ... on Query { orderHistory(pageSize: 1) { count } } }'],
  [
    'a real field under @skip(if: false)',
    '{ __typename orderHistory(pageSize: 1) @skip(if: false) { count } }',
  ],
];

let stack: TestStack;
let orders: RecordingProxy;
let catalog: RecordingProxy;
const jwt = parseJwtEnv({});
const dir = mkdtempSync(join(tmpdir(), 'switchyard-mixed-'));

beforeAll(async () => {
  stack = await startTestStack();
  orders = await startRecordingProxy(stack.ordersUrl);
  catalog = await startRecordingProxy(stack.catalogUrl);
});
afterAll(async () => {
  await orders.close();
  await catalog.close();
  await stack.stop();
});

async function gatewayWith(env: Env): Promise<{ url: string; stop(): Promise<void> }> {
  const gateway: Gateway = await createGateway(
    parseGatewayConfig({
      ORDERS_SUBGRAPH_URL: `${orders.url}/graphql`,
      CATALOG_SUBGRAPH_URL: `${catalog.url}/graphql`,
      SUBGRAPH_SHARED_SECRET: stack.subgraphSecret,
      RATE_LIMIT_ENABLED: 'false',
      ...env,
    }),
    { logger: silentLogger() },
  );
  const url = await listen(gateway.httpServer, 0);
  return {
    url,
    stop: async () => {
      await close(gateway.httpServer, 1000);
      await gateway.stop();
    },
  };
}

const subgraphCalls = () => orders.requests.length + catalog.requests.length;

async function post(url: string, query: string, user?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(user ? { authorization: `JWT ${signToken(user, jwt)}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: any;
    errors?: { extensions?: { code?: string } }[];
  };
  return { status: response.status, body, code: body.errors?.[0]?.extensions?.code };
}

describe('an anonymous document mixing meta fields with a real field', () => {
  let gateway: Awaited<ReturnType<typeof gatewayWith>>;
  beforeAll(async () => {
    gateway = await gatewayWith({ GATEWAY_INTROSPECTION: 'true' });
  });
  afterAll(() => gateway.stop());

  it.each(MIXED)('is UNAUTHENTICATED at the gateway with 0 subgraph calls: %s', async (_name, query) => {
    const before = subgraphCalls();
    const answer = await post(gateway.url, query);
    expect(answer.status).toBe(401);
    expect(answer.code).toBe('UNAUTHENTICATED');
    expect(answer.body.data).toBeUndefined();
    expect(subgraphCalls()).toBe(before);
  });

  it('reaches the subgraphs with a token (the proxies count what gets through)', async () => {
    const before = orders.requests.length;
    const answer = await post(gateway.url, MIXED[0]![1], 'learner1');
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.orderHistory.count).toBeGreaterThan(0);
    expect(orders.requests.length).toBeGreaterThan(before);
  });

  it('answers meta fields alone anonymously, aliases included, with 0 subgraph calls', async () => {
    const before = subgraphCalls();
    expect((await post(gateway.url, '{ orderHistory: __typename }')).body).toEqual({
      data: { orderHistory: 'Query' },
    });
    expect((await post(gateway.url, '{ __schema { queryType { name } } __typename }')).body).toEqual({
      data: { __schema: { queryType: { name: 'Query' } }, __typename: 'Query' },
    });
    expect(subgraphCalls()).toBe(before);
  });
});

describe('PERSISTED_QUERIES=require with introspection on', () => {
  let gateway: Awaited<ReturnType<typeof gatewayWith>>;
  beforeAll(async () => {
    const manifest = join(dir, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256Hex(HISTORY), name: 'MyCount', type: 'query', body: HISTORY }],
      }),
    );
    gateway = await gatewayWith({
      PERSISTED_QUERIES: 'require',
      PERSISTED_QUERIES_MANIFEST: manifest,
      GATEWAY_INTROSPECTION: 'true',
    });
  });
  afterAll(() => gateway.stop());

  it.each([
    [
      '__schema beside a real field',
      '{ __schema { queryType { name } } orderHistory(pageSize: 1) { count } }',
    ],
    ['__typename beside the listed operation’s field', '{ __typename orderHistory(pageSize: 1) { count } }'],
    [
      'a listed body with __schema added',
      HISTORY.replace('{ orderHistory', '{ __schema { queryType { name } } orderHistory'),
    ],
  ])('refuses an unlisted %s: PERSISTED_QUERY_NOT_IN_LIST, 0 subgraph calls', async (_name, query) => {
    const before = subgraphCalls();
    const answer = await post(gateway.url, query, 'learner1');
    expect(answer.status).toBe(400);
    expect(answer.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(answer.body.data).toBeUndefined();
    expect(subgraphCalls()).toBe(before);
  });

  it('still runs the listed operation and introspection alone', async () => {
    expect((await post(gateway.url, HISTORY, 'learner1')).body.data.orderHistory.count).toBeGreaterThan(0);
    expect((await post(gateway.url, '{ __schema { queryType { name } } }')).body).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
  });
});
