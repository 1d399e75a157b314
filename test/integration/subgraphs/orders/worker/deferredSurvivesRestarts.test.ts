import { randomUUID } from 'node:crypto';
import { createDiscoverySimulator } from '../../../../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../../../../simulators/kit/createSimulator';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { signToken } from '../../../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../../../platform/config/jwtEnv';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../../../../simulators/seed/createSeed';
import { spawnComponent, type Component } from '../../../../helpers/spawnComponent';
import { courseRunsOf, refundableOrders } from '../../../../helpers/refundableOrders';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../../../simulators/lms/createLmsOAuthSimulator';

// Every component a real process — orders subgraph, gateway, worker — on the real Redis; the queue
// and the keys' records are all that carries a deferred refund from one generation to the next.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}`;
const jwt = parseJwtEnv({});
const seed = createSeed();
const orders = refundableOrders('learner6')
  .slice(0, 3)
  .map((o) => o.number);
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status refundIds } }`;

let legacy: LegacyEcommerceSimulator;
let lms: LmsOAuthSimulator;
let discovery: Simulator;
let catalogNowhere: string;
const running: Component[] = [];
const shared = () => ({
  LEGACY_ECOMMERCE_URL: legacy.url,
  LMS_OAUTH2_URL: lms.url,
  // The refund rule's inputs; the seed's orders are years old, so a window that still covers them.
  DISCOVERY_URL: discovery.url,
  REFUND_WINDOW_DAYS: '36500',
  REDIS_URL,
  REFUND_QUEUE_PREFIX: prefix,
});

/** An orders subgraph and a gateway in front of it: one "generation" of the request side. */
async function startFront(): Promise<{ url: string; stop: (signal: NodeJS.Signals) => Promise<void> }> {
  const orders = spawnComponent('subgraphs/orders/main.js', { ...shared(), ORDERS_SUBGRAPH_PORT: '0' });
  running.push(orders);
  const ordersUrl = String((await orders.waitFor('orders subgraph listening')).url);
  const gateway = spawnComponent('gateway/main.js', {
    GATEWAY_PORT: '0',
    ORDERS_SUBGRAPH_URL: ordersUrl,
    CATALOG_SUBGRAPH_URL: catalogNowhere,
  });
  running.push(gateway);
  const url = String((await gateway.waitFor('gateway listening')).url);
  return {
    url,
    stop: async (signal) => void (await Promise.all([orders.kill(signal), gateway.kill(signal)])),
  };
}

async function post(url: string, query: string, variables: Record<string, unknown>, key?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${signToken('learner6', jwt)}`,
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as any };
}

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt });
  lms = await createLmsOAuthSimulator({ jwt });
  discovery = await createDiscoverySimulator({ seed, jwt });
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  catalogNowhere = `http://127.0.0.1:${(probe.address() as { port: number }).port}/graphql`;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await Promise.all(running.map((c) => c.kill('SIGKILL')));
  await legacy.close();
  await discovery.close();
  await lms.close();
});

it('keeps deferred refunds across restarts of the orders subgraph and the gateway, and delivers each once', async () => {
  const keys = orders.map(() => randomUUID());
  const executedBefore = legacy.writes.executions.refunds;

  let front = await startFront();
  const queued = await Promise.all(
    orders.map((orderNumber, i) =>
      post(front.url, REFUND, { input: { orderNumber, delivery: 'DEFERRED' } }, keys[i]),
    ),
  );
  const ids: string[] = queued.map((q) => q.body.data.requestRefund.id);
  // Accepted while the legacy service answered the ownership reads; it is down throughout the restarts.
  legacy.setFaults({ errorRate: 1, errorStatus: 503 });
  expect(queued.map((q) => q.body.data.requestRefund.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);

  // Killed outright, both; the next generation sees every request, and each key's record.
  await front.stop('SIGKILL');
  front = await startFront();
  for (const id of ids)
    expect((await post(front.url, STATUS, { id })).body.data.refundRequest.status).toBe('PENDING');
  const repeat = await post(
    front.url,
    REFUND,
    { input: { orderNumber: orders[0], delivery: 'DEFERRED' } },
    keys[0],
  );
  expect(repeat.replayed).toBe('true');
  expect(repeat.body.data.requestRefund.id).toBe(ids[0]);

  // A worker starts and fails against the dead upstream; the front is restarted again, gracefully.
  const worker = spawnComponent('subgraphs/orders/worker/main.js', {
    ...shared(),
    REFUND_WORKER_PORT: '0',
    REFUND_RETRY_BASE_MS: '50',
    REFUND_RETRY_MAX_MS: '200',
    // Its breaker opens on the outage; a short open time keeps the test short once the upstream is back.
    LEGACY_ECOMMERCE_BREAKER_RESET_MS: '300',
  });
  running.push(worker);
  await worker.waitFor('deferred refund attempt failed');
  await front.stop('SIGTERM');
  front = await startFront();

  legacy.clearFaults();
  let last: any[] = [];
  for (let i = 0; i < 200; i++) {
    last = await Promise.all(
      ids.map(async (id) => (await post(front.url, STATUS, { id })).body.data.refundRequest),
    );
    if (last.every((r) => r.status === 'OPEN')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(last.map((r) => r.status)).toEqual(['OPEN', 'OPEN', 'OPEN']);
  // Exactly once, counted by the simulator: one refund call per key, each creating the refunds its
  // request reports.
  // One refund call per course run of each order (the legacy API refunds by course), none repeated.
  expect(keys.map((k) => legacy.writes.refundCallsByKey.get(k))).toEqual(
    orders.map((n) => courseRunsOf(n).length),
  );
  expect(legacy.writes.executions.refunds - executedBefore).toBe(
    orders.reduce((sum, n) => sum + courseRunsOf(n).length, 0),
  );
  expect(last.map((r) => r.refundIds)).toEqual(
    keys.map((k) => legacy.writes.refunds.filter((r) => r.idempotencyKey === k).map((r) => String(r.id))),
  );
}, 90_000);
