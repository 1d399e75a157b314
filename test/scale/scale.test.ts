import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { freePorts } from '../../bench/freePorts';
import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { SUBGRAPH_SECRET_HEADER } from '../../platform/http/subgraphSecret';
import { createDiscoverySimulator } from '../../simulators/discovery/createDiscoverySimulator';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import { createLmsOAuthSimulator } from '../../simulators/lms/createLmsOAuthSimulator';
import type { Simulator } from '../../simulators/kit/createSimulator';
import { createSeed } from '../../simulators/seed/createSeed';
import { courseRunsOf, refundableOrders } from '../helpers/refundableOrders';
import { SPAWNED_SUBGRAPH_SECRET, spawnComponent, type Component } from '../helpers/spawnComponent';
import { startTestBalancer } from '../helpers/startTestBalancer';

// Two of every component as real processes — gateways, orders subgraphs, catalog subgraphs, refund
// workers — sharing one real Redis, with the upstream simulators in this process. Each gateway
// spreads its calls over both instances of each subgraph (ORDERS_SUBGRAPH_URLS, CATALOG_SUBGRAPH_URLS).
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-scale-${randomUUID()}`;
const jwt = parseJwtEnv({});
const seed = createSeed();
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id orderNumber status refundIds } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status refundIds } }`;
const PAGE = `{ orderHistory(pageSize: 5) { count orders { number lines { courseRun { title } } } } }`;

const STAFF_LIMIT = 20;

jest.setTimeout(120_000);

let legacy: LegacyEcommerceSimulator;
let discovery: Simulator;
let lms: Simulator;
let ports: { gateways: number[]; orders: number[]; catalog: number[] };
const components: Record<string, Component> = {};

const url = (port: number) => `http://127.0.0.1:${port}`;
const shared = () => ({
  LEGACY_ECOMMERCE_URL: legacy.url,
  DISCOVERY_URL: discovery.url,
  LMS_OAUTH2_URL: `${lms.url}/oauth2`,
  // The seed's orders are years old: a refund window that still covers them.
  REFUND_WINDOW_DAYS: '36500',
  REDIS_URL,
  REFUND_QUEUE_PREFIX: prefix,
  // A claim whose holder died is taken over after this: short, so the kill test does not wait 15 s.
  IDEMPOTENCY_LEASE_MS: '1500',
  // A killed worker's job goes to the other worker after this.
  REFUND_WORKER_LOCK_MS: '2000',
  REFUND_RETRY_BASE_MS: '200',
  LEGACY_ECOMMERCE_STALE_IF_ERROR_MS: '600000',
  // Learners get room for the load below; staff get a tight limit, which the rate-limit test spends
  // across both gateways. A prefix of this run's own: counts outlive a run in the shared Redis.
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_OPERATIONS: '10000',
  RATE_LIMIT_MUTATIONS: '1000',
  RATE_LIMIT_STAFF_OPERATIONS: String(STAFF_LIMIT),
  RATE_LIMIT_KEY_PREFIX: prefix,
  LOG_LEVEL: 'info',
});

async function startOrders(i: number): Promise<void> {
  const c = spawnComponent('subgraphs/orders/main.js', {
    ...shared(),
    ORDERS_SUBGRAPH_PORT: String(ports.orders[i]),
  });
  components[`orders${i}`] = c;
  await c.waitFor('orders subgraph listening', 30_000);
}
async function startCatalog(i: number): Promise<void> {
  const c = spawnComponent('subgraphs/catalog/main.js', {
    ...shared(),
    CATALOG_SUBGRAPH_PORT: String(ports.catalog[i]),
  });
  components[`catalog${i}`] = c;
  await c.waitFor('catalog subgraph listening', 30_000);
}
async function startGateway(i: number): Promise<void> {
  const c = spawnComponent('gateway/main.js', {
    ...shared(),
    GATEWAY_PORT: String(ports.gateways[i]),
    ORDERS_SUBGRAPH_URLS: ports.orders.map((p) => `${url(p)}/graphql`).join(','),
    CATALOG_SUBGRAPH_URLS: ports.catalog.map((p) => `${url(p)}/graphql`).join(','),
  });
  components[`gateway${i}`] = c;
  await c.waitFor('gateway listening', 30_000);
}
async function startWorker(i: number): Promise<void> {
  const c = spawnComponent('subgraphs/orders/worker/main.js', { ...shared(), REFUND_WORKER_PORT: '0' });
  components[`worker${i}`] = c;
  await c.waitFor('refund worker listening', 30_000);
}

async function post(
  gateway: number | string,
  user: string,
  query: string,
  variables = {},
  key?: string,
  staff = false,
) {
  const target = typeof gateway === 'string' ? gateway : url(ports.gateways[gateway]!);
  const response = await fetch(`${target}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${signToken(user, jwt, { staff })}`,
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    body: (await response.json()) as any,
  };
}

async function delivered(user: string, id: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await post(0, user, STATUS, { id });
    const request = status.body.data?.refundRequest;
    if (request?.status === 'OPEN' || request?.status === 'FAILED') return request;
    if (Date.now() > deadline) throw new Error(`not delivered in time: ${JSON.stringify(status.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  discovery = await createDiscoverySimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  lms = await createLmsOAuthSimulator({ jwt });
  const [g0, g1, o0, o1, c0, c1] = await freePorts(6);
  ports = { gateways: [g0!, g1!], orders: [o0!, o1!], catalog: [c0!, c1!] };
  await Promise.all([
    startOrders(0),
    startOrders(1),
    startCatalog(0),
    startCatalog(1),
    startWorker(0),
    startWorker(1),
  ]);
  await Promise.all([startGateway(0), startGateway(1)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(components).map((c) => c.kill('SIGKILL')));
  await Promise.all([legacy?.close(), discovery?.close(), lms?.close()]);
});

it('serves the page through both gateways, each over both instances of each subgraph', async () => {
  for (let i = 0; i < 8; i++) {
    const answer = await post(i % 2, 'learner1', PAGE);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.orderHistory.orders.length).toBeGreaterThan(0);
  }
});

it('runs 50 concurrent requests with one key, over both gateways, exactly once', async () => {
  const order = refundableOrders('learner4')[0]!.number;
  const key = randomUUID();
  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      post(i % 2, 'learner4', REFUND, { input: { orderNumber: order, delivery: 'IMMEDIATE' } }, key),
    ),
  );
  const results = answers.filter((a) => a.body.data?.requestRefund);
  const inUse = answers.filter((a) => a.body.errors?.[0]?.extensions?.code === 'IDEMPOTENCY_KEY_IN_USE');
  expect(results.length + inUse.length).toBe(50);
  expect(results.length).toBeGreaterThan(0);
  // One call per course run of the order (the legacy API refunds by course), and only once.
  expect(legacy.writes.refundCallsByKey.get(key)).toBe(courseRunsOf(order, seed).length);
  const first = results.find((a) => !a.replayed)!;
  expect(first.body.data.requestRefund).toMatchObject({ orderNumber: order, status: 'OPEN' });
  for (const other of results) expect(other.body.data).toEqual(first.body.data);
  expect(results.filter((a) => !a.replayed)).toHaveLength(1);
  // Afterwards, both gateways replay the same answer.
  for (const gateway of [0, 1]) {
    const again = await post(
      gateway,
      'learner4',
      REFUND,
      { input: { orderNumber: order, delivery: 'IMMEDIATE' } },
      key,
    );
    expect(again.replayed).toBe(true);
    expect(again.body.data).toEqual(first.body.data);
  }
});

it('survives kill -9 of the orders instance holding the claim mid-write: no double, no lost refund', async () => {
  const order = refundableOrders('learner5')[0]!.number;
  const key = randomUUID();
  const runs = courseRunsOf(order, seed).length;
  legacy.writes.holdAfterApply = true;
  try {
    const pending = post(
      0,
      'learner5',
      REFUND,
      { input: { orderNumber: order, delivery: 'IMMEDIATE' } },
      key,
    );
    await legacy.writes.whenHeld();
    // The instance whose log shows the refund call is the one holding the claim.
    const holder = [0, 1].find((i) =>
      components[`orders${i}`]!.logs.some((l) => l.idempotencyKey === key && l.event === 'upstream attempt'),
    );
    expect(holder).toBeDefined();
    await components[`orders${holder}`]!.kill('SIGKILL');
    const lost = await pending;
    expect(lost.body.data?.requestRefund ?? null).toBeNull();
  } finally {
    legacy.writes.holdAfterApply = false;
    legacy.writes.releaseHeld();
  }
  // The retry lands on the live instance, waits out the lease, takes over and reconciles.
  const deadline = Date.now() + 30_000;
  let answer = await post(
    1,
    'learner5',
    REFUND,
    { input: { orderNumber: order, delivery: 'IMMEDIATE' } },
    key,
  );
  while (answer.body.errors?.[0]?.extensions?.code === 'IDEMPOTENCY_KEY_IN_USE' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    answer = await post(1, 'learner5', REFUND, { input: { orderNumber: order, delivery: 'IMMEDIATE' } }, key);
  }
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.requestRefund).toMatchObject({ orderNumber: order, status: 'OPEN' });
  // Every line refunded once: the refunds recorded for this order are one per course run.
  expect(legacy.writes.refunds.filter((r) => r.orderNumber === order)).toHaveLength(runs);
  await Promise.all(
    [0, 1]
      .filter(
        (i) =>
          components[`orders${i}`]!.process.exitCode !== null ||
          components[`orders${i}`]!.process.signalCode !== null,
      )
      .map(startOrders),
  );
});

it('delivers a deferred refund through whichever worker is alive; a worker killed mid-job loses nothing', async () => {
  const order = refundableOrders('learner6')[0]!.number;
  const runs = courseRunsOf(order, seed).length;
  legacy.writes.holdAfterApply = true;
  let id: string;
  try {
    const queued = await post(
      1,
      'learner6',
      REFUND,
      { input: { orderNumber: order, delivery: 'DEFERRED' } },
      randomUUID(),
    );
    expect(queued.body.errors).toBeUndefined();
    id = queued.body.data.requestRefund.id;
    await legacy.writes.whenHeld();
    const busy = [0, 1].find((i) =>
      components[`worker${i}`]!.logs.some((l) => l.jobId === id && l.msg === 'deferred refund attempt'),
    );
    expect(busy).toBeDefined();
    await components[`worker${busy}`]!.kill('SIGKILL');
  } finally {
    legacy.writes.holdAfterApply = false;
    legacy.writes.releaseHeld();
  }
  const request = await delivered('learner6', id!);
  expect(request.status).toBe('OPEN');
  expect(legacy.writes.refunds.filter((r) => r.orderNumber === order)).toHaveLength(runs);
  await Promise.all(
    [0, 1].filter((i) => components[`worker${i}`]!.process.signalCode !== null).map(startWorker),
  );
});

it('serves stale-if-error data written by one orders instance from the other', async () => {
  const read = (i: number) =>
    fetch(`${url(ports.orders[i]!)}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `JWT ${signToken('learner11', jwt)}`,
        [SUBGRAPH_SECRET_HEADER]: SPAWNED_SUBGRAPH_SECRET,
      },
      body: JSON.stringify({ query: '{ orderHistory(pageSize: 3) { count orders { number } } }' }),
    }).then(async (r) => (await r.json()) as any);
  const staleKeys = () =>
    spawnSync('redis-cli', ['-u', REDIS_URL, '--scan', '--pattern', 'switchyard:stale:*'], {
      encoding: 'utf8',
    })
      .stdout.split('\n')
      .filter(Boolean).length;
  const before = staleKeys();
  const fresh = await read(0);
  expect(fresh.errors).toBeUndefined();
  // The answer is stored after it is sent (never delaying it): wait for the write to land.
  const deadline = Date.now() + 5000;
  while (staleKeys() <= before && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  legacy.setFaults({ errorRate: 1 });
  try {
    const stale = await read(1);
    expect(stale.data).toEqual(fresh.data);
  } finally {
    legacy.clearFaults();
  }
});

it('holds a rate limit across both gateways: one count in Redis', async () => {
  const answers = await Promise.all(
    Array.from({ length: STAFF_LIMIT * 2 }, (_, i) => post(i % 2, 'support', PAGE, {}, undefined, true)),
  );
  const limited = answers.filter((a) => a.status === 429);
  expect(answers.length - limited.length).toBe(STAFF_LIMIT);
  for (const answer of limited) {
    expect(answer.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
  }
  // Both gateways turned requests away: neither counted alone.
  expect(new Set(answers.map((a, i) => (a.status === 429 ? i % 2 : -1)).filter((g) => g >= 0))).toEqual(
    new Set([0, 1]),
  );
});

it('restarts one gateway and one orders instance under load with zero failed requests', async () => {
  const balancer = await startTestBalancer(ports.gateways.map(url));
  let stop = false;
  let ok = 0;
  const failures: string[] = [];
  const client = async (n: number) => {
    while (!stop) {
      const answer = await post(balancer.url, `learner${(n % 20) + 1}`, PAGE).catch((error: Error) => ({
        status: 0,
        replayed: false,
        body: { errors: [{ message: error.message }] },
      }));
      if (answer.status !== 200 || answer.body.errors)
        failures.push(`${answer.status} ${JSON.stringify(answer.body.errors)}`);
      else ok++;
    }
  };
  const clients = Array.from({ length: 4 }, (_, n) => client(n));
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const gatewayExit = components.gateway0!.exited;
    await components.gateway0!.kill('SIGTERM');
    expect(await gatewayExit).toBe(0);
    await startGateway(0);
    const ordersExit = components.orders0!.exited;
    await components.orders0!.kill('SIGTERM');
    expect(await ordersExit).toBe(0);
    await startOrders(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    stop = true;
    await Promise.all(clients);
    await balancer.close();
  }
  expect(failures).toEqual([]);
  expect(ok).toBeGreaterThan(20);
});
