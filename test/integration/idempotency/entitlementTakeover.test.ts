import { randomUUID } from 'node:crypto';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { SUBGRAPH_SECRET_HEADER } from '../../../platform/http/subgraphSecret';
import { createDiscoverySimulator } from '../../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../../../simulators/legacy/createLegacyEcommerceSimulator';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../simulators/lms/createLmsOAuthSimulator';
import {
  ENTITLED_LEARNER,
  entitlementOrder,
  entitlementRefundSeed,
  entitlementUuidOf,
  grantEntitlements,
} from '../../helpers/entitlementRefundSeed';
import { SPAWNED_SUBGRAPH_SECRET, spawnComponent, type Component } from '../../helpers/spawnComponent';

// An entitlement refund whose process died after ecommerce created the refund: the retry takes over,
// admits the request again (a fresh LMS read for the uuid), re-sends, and reads ecommerce's 400
// "Order … does not exist." as "refunded before": nothing created twice, ids honestly unknown.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const jwt = parseJwtEnv({});
const seed = entitlementRefundSeed();
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { orderNumber status refundIds refundIdsKnown } }`;

let legacy: LegacyEcommerceSimulator;
let lms: LmsOAuthSimulator;
let discovery: Simulator;
const running: Component[] = [];

async function startSubgraph(): Promise<{ url: string; component: Component }> {
  const component = spawnComponent('subgraphs/orders/main.js', {
    LEGACY_ECOMMERCE_URL: legacy.url,
    LMS_OAUTH2_URL: lms.url,
    DISCOVERY_URL: discovery.url,
    REDIS_URL,
    ORDERS_SUBGRAPH_PORT: '0',
    IDEMPOTENCY_LEASE_MS: '1000',
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
      authorization: `JWT ${signToken(ENTITLED_LEARNER, jwt)}`,
      'idempotency-key': key,
      [SUBGRAPH_SECRET_HEADER]: SPAWNED_SUBGRAPH_SECRET,
    },
    body: JSON.stringify({ query: REFUND, variables: { input: { orderNumber } } }),
  }).then(async (r) => JSON.parse(await r.text()) as any);
}

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  lms = await createLmsOAuthSimulator({ jwt });
  grantEntitlements(lms.entitlements, lms.enrollments);
  discovery = await createDiscoverySimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
});
afterAll(async () => {
  await Promise.all(running.map((c) => c.kill('SIGKILL')));
  legacy.writes.releaseHeld();
  await Promise.all([legacy.close(), lms.close(), discovery.close()]);
});

it('a process killed after ecommerce created the entitlement refund: the retry reconciles, one refund', async () => {
  const first = await startSubgraph();
  const key = randomUUID();
  const order = entitlementOrder('open');
  legacy.writes.holdAfterApply = true;
  void refund(first.url, order, key).catch(() => undefined);
  await legacy.writes.whenHeld();
  await first.component.kill('SIGKILL');
  legacy.writes.holdAfterApply = false;
  legacy.writes.releaseHeld();
  const made = legacy.writes.refunds.filter((r) => r.orderNumber === order);
  expect(made).toHaveLength(1);

  const second = await startSubgraph();
  let body: any;
  for (let i = 0; i < 50; i++) {
    body = await refund(second.url, order, key);
    if (body.errors?.[0]?.extensions?.code !== 'IDEMPOTENCY_KEY_IN_USE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(body.errors).toBeUndefined();
  expect(body.data.requestRefund).toEqual({
    orderNumber: order,
    status: 'OPEN',
    refundIds: [],
    refundIdsKnown: false,
  });
  expect(legacy.writes.refunds.filter((r) => r.orderNumber === order)).toEqual(made);
  // Both attempts sent exactly the LMS's call; the second was answered 400 and created nothing.
  const sent = {
    username: ENTITLED_LEARNER,
    order_number: order,
    entitlement_uuid: entitlementUuidOf('open'),
  };
  expect(legacy.writes.refundBodies.filter((c) => c.idempotencyKey === key).map((c) => c.body)).toEqual([
    sent,
    sent,
  ]);
}, 60_000);
