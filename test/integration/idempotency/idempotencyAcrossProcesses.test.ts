import { randomUUID } from 'node:crypto';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { createDiscoverySimulator } from '../../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../../simulators/seed/createSeed';
import { SUBGRAPH_SECRET_HEADER } from '../../../platform/http/subgraphSecret';
import { SPAWNED_SUBGRAPH_SECRET, spawnComponent, type Component } from '../../helpers/spawnComponent';
import { refundableOrders } from '../../helpers/refundableOrders';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../simulators/lms/createLmsOAuthSimulator';

// Real orders-subgraph processes sharing the real Redis on 127.0.0.1:6379.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const jwt = parseJwtEnv({});
const seed = createSeed();
const completeOrders = refundableOrders('learner3').map((o) => o.number);
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id orderNumber status refundIds refundIdsKnown attempts updatedAt } }`;

let legacy: LegacyEcommerceSimulator;
let lms: LmsOAuthSimulator;
let discovery: Simulator;
const running: Component[] = [];

async function startSubgraph(
  extra: Record<string, string> = {},
): Promise<{ url: string; component: Component }> {
  const component = spawnComponent('subgraphs/orders/main.js', {
    LEGACY_ECOMMERCE_URL: legacy.url,
    LMS_OAUTH2_URL: lms.url,
    // The refund rule's inputs; the seed's orders are years old, so a window that still covers them.
    DISCOVERY_URL: discovery.url,
    REFUND_WINDOW_DAYS: '36500',
    REDIS_URL,
    ORDERS_SUBGRAPH_PORT: '0',
    ...extra,
  });
  running.push(component);
  const line = await component.waitFor('orders subgraph listening');
  return { url: String(line.url), component };
}

function refund(url: string, orderNumber: string, key: string) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${signToken('learner3', jwt)}`,
      'idempotency-key': key,
      // Straight to the subgraph, as the gateway would call it.
      [SUBGRAPH_SECRET_HEADER]: SPAWNED_SUBGRAPH_SECRET,
    },
    body: JSON.stringify({ query: REFUND, variables: { input: { orderNumber } } }),
  }).then(async (r) => ({ text: await r.text(), replayed: r.headers.get('idempotent-replayed') }));
}

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt });
  lms = await createLmsOAuthSimulator({ jwt });
  discovery = await createDiscoverySimulator({ seed, jwt });
});
afterAll(async () => {
  await Promise.all(running.map((c) => c.kill('SIGKILL')));
  legacy.writes.releaseHeld();
  await legacy.close();
  await lms.close();
  await discovery.close();
});

it('50 concurrent identical refunds over two processes: executed once, the rest in-use or identical', async () => {
  const [a, b] = await Promise.all([startSubgraph(), startSubgraph()]);
  const key = randomUUID();
  const order = completeOrders[0]!;
  legacy.setFaults({ latencyMs: 150 }); // widen the in-flight window
  const before = legacy.writes.executions.refunds;
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => refund(i % 2 ? a.url : b.url, order, key)),
  );
  legacy.clearFaults();
  expect(legacy.writes.executions.refunds - before).toBe(1);
  const bodies = results.map((r) => JSON.parse(r.text));
  const successes = bodies.filter((b) => b.data?.requestRefund);
  const inUse = bodies.filter((b) => b.errors?.[0]?.extensions?.code === 'IDEMPOTENCY_KEY_IN_USE');
  expect(successes.length + inUse.length).toBe(50);
  expect(successes.length).toBeGreaterThanOrEqual(1);
  for (const s of successes) expect(s.data).toEqual(successes[0].data);
  // Later replays, from either process, are byte-identical and marked.
  const replays = await Promise.all([
    refund(a.url, order, key),
    refund(b.url, order, key),
    refund(a.url, order, key),
  ]);
  expect(new Set(replays.map((r) => r.text)).size).toBe(1);
  expect(replays.every((r) => r.replayed === 'true')).toBe(true);
  expect(JSON.parse(replays[0]!.text).data).toEqual(successes[0].data);
  expect(legacy.writes.executions.refunds - before).toBe(1);
}, 60_000);

it('a process killed after the upstream applied the refund: the retry reconciles, the upstream count stays 1', async () => {
  const lease = { IDEMPOTENCY_LEASE_MS: '1000' };
  const first = await startSubgraph(lease);
  const key = randomUUID();
  const order = completeOrders[1]!;
  const before = legacy.writes.executions.refunds;
  legacy.writes.holdAfterApply = true;
  let early: string | undefined;
  void refund(first.url, order, key).then(
    (r) => (early = r.text),
    () => undefined,
  );
  // Wait until the upstream has applied it, then kill the subgraph before it can store the result.
  for (let i = 0; i < 500 && legacy.writes.executions.refunds === before; i++)
    await new Promise((r) => setTimeout(r, 20));
  expect({ executed: legacy.writes.executions.refunds - before, early }).toEqual({
    executed: 1,
    early: undefined,
  });
  await first.component.kill('SIGKILL');
  legacy.writes.holdAfterApply = false;
  legacy.writes.releaseHeld();
  const applied = legacy.writes.refunds.filter((r) => r.orderNumber === order).map((r) => String(r.id));

  const second = await startSubgraph(lease);
  let body: any;
  // Until the dead attempt's lease runs out the key is "in use"; then the retry takes over and reconciles.
  for (let i = 0; i < 50; i++) {
    body = JSON.parse((await refund(second.url, order, key)).text);
    if (body.errors?.[0]?.extensions?.code !== 'IDEMPOTENCY_KEY_IN_USE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(body.errors).toBeUndefined();
  // The legacy API cannot list refunds: the retry re-sends the refund (200 [], nothing left) and says
  // the ids of the dead attempt's refund are unknown, instead of answering with ids it cannot know.
  expect(body.data.requestRefund).toMatchObject({
    orderNumber: order,
    status: 'OPEN',
    refundIds: [],
    refundIdsKnown: false,
  });
  expect(legacy.writes.executions.refunds - before).toBe(1);
  expect(legacy.writes.refunds.filter((r) => r.orderNumber === order).map((r) => String(r.id))).toEqual(
    applied,
  );
  // Waited for, not looked up: the log line and the HTTP answer travel separate pipes, in either order.
  const reconciled = await second.component.waitFor(
    (l) => l.event === 'takeover reconciled' && l.idempotencyKey === key,
  );
  expect(reconciled).toMatchObject({ alreadyApplied: true });
}, 60_000);
