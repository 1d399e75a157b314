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
import { refundableOrders } from '../../../../helpers/refundableOrders';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../../../simulators/lms/createLmsOAuthSimulator';

// The audit trail as operators get it: the structured stdout of a real orders-subgraph process and a
// real gateway process, in front of the legacy simulator. No Redis: the embedded store is enough.
const jwt = parseJwtEnv({});
const seed = createSeed();
const orders = refundableOrders('learner8').map((o) => o.number);
const REFUND = `mutation Refund($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;

let legacy: LegacyEcommerceSimulator;
let lms: LmsOAuthSimulator;
let discovery: Simulator;
let ordersSubgraph: Component;
let gateway: Component;
let gatewayUrl: string;

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt });
  lms = await createLmsOAuthSimulator({ jwt });
  discovery = await createDiscoverySimulator({ seed, jwt });
  ordersSubgraph = spawnComponent('subgraphs/orders/main.js', {
    LEGACY_ECOMMERCE_URL: legacy.url,
    LMS_OAUTH2_URL: lms.url,
    // The refund rule's inputs; the seed's orders are years old, so a window that still covers them.
    DISCOVERY_URL: discovery.url,
    REFUND_WINDOW_DAYS: '36500',
    ORDERS_SUBGRAPH_PORT: '0',
  });
  const ordersUrl = String((await ordersSubgraph.waitFor('orders subgraph listening')).url);
  // No catalog runs: this test's operations never need it, and the supergraph is static.
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const nowhere = `http://127.0.0.1:${(probe.address() as { port: number }).port}/graphql`;
  await new Promise((resolve) => probe.close(resolve));
  gateway = spawnComponent('gateway/main.js', {
    GATEWAY_PORT: '0',
    ORDERS_SUBGRAPH_URL: ordersUrl,
    CATALOG_SUBGRAPH_URL: nowhere,
  });
  gatewayUrl = String((await gateway.waitFor('gateway listening')).url);
});
afterAll(async () => {
  legacy.writes.releaseHeld();
  await Promise.all([ordersSubgraph?.kill('SIGKILL'), gateway?.kill('SIGKILL')]);
  await legacy.close();
  await discovery.close();
  await lms.close();
});

function refund(orderNumber: string, requestId: string, key: string, signal?: AbortSignal) {
  return fetch(gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${signToken('learner8', jwt)}`,
      'x-request-id': requestId,
      'idempotency-key': key,
    },
    body: JSON.stringify({ query: REFUND, variables: { input: { orderNumber } } }),
    signal,
  });
}

const traceOf = (component: Component, requestId: string) =>
  component.logs.filter((l) => l.requestId === requestId && l.audit === 'mutation');

it('logs received → upstream attempt → upstream answered → outcome for one request id and key, in order', async () => {
  const requestId = `audit-${randomUUID()}`;
  const key = randomUUID();
  const response = await refund(orders[0]!, requestId, key);
  expect(response.headers.get('x-request-id')).toBe(requestId);
  expect(((await response.json()) as any).data.requestRefund.status).toBe('OPEN');
  await ordersSubgraph.waitFor((l) => l.requestId === requestId && l.event === 'outcome');
  const trail = traceOf(ordersSubgraph, requestId);
  expect(trail.every((l) => l.idempotencyKey === key && l.user === 'learner8')).toBe(true);
  const events = trail.map((l) => l.event);
  const at = (event: string, from = 0) => events.indexOf(event, from);
  expect(at('received')).toBe(0);
  expect(at('upstream attempt')).toBeGreaterThan(at('received'));
  expect(at('upstream answered', at('upstream attempt'))).toBeGreaterThan(at('upstream attempt'));
  expect(events.at(-1)).toBe('outcome');
  expect(trail.at(-1)).toMatchObject({ outcome: 'success', operation: 'requestRefund' });
  // The refund call itself is among the attempts, and its answer is logged with its status.
  expect(trail).toContainEqual(
    expect.objectContaining({
      event: 'upstream answered',
      method: 'POST',
      path: '/api/v2/refunds/',
      status: 201,
    }),
  );
  // And the gateway opens and closes the story: received, then the answer written to the caller.
  const end = await gateway.waitFor((l) => l.requestId === requestId && l.msg === 'request completed');
  expect(end).toMatchObject({ idempotencyKey: key, status: 200, event: 'request completed' });
  const atGateway = gateway.logs.filter((l) => l.requestId === requestId && l.audit === 'mutation');
  expect(atGateway.map((l) => l.event)).toEqual(['request received', 'request completed']);
  expect(atGateway[0]).toMatchObject({ idempotencyKey: key, user: 'learner8', operationName: 'Refund' });
});

it('logs no gateway ingress line for a query: only mutations are audited', async () => {
  const requestId = `audit-${randomUUID()}`;
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${signToken('learner8', jwt)}`,
      'x-request-id': requestId,
    },
    body: JSON.stringify({ query: '{ orderHistory(pageSize: 1) { count } }' }),
  });
  expect(response.status).toBe(200);
  await response.json();
  // A mutation after it: once its ingress line is in, any line the query wrote would be too (one stream).
  const after = `audit-${randomUUID()}`;
  await (await refund('EDX-000000', after, randomUUID())).json();
  await gateway.waitFor((l) => l.requestId === after && l.event === 'request received');
  expect(gateway.logs.some((l) => l.requestId === requestId && l.audit === 'mutation')).toBe(false);
});

it('tells "we did the work but the caller never got the answer" from the logs alone', async () => {
  const requestId = `audit-${randomUUID()}`;
  const key = randomUUID();
  const client = new AbortController();
  legacy.writes.holdAfterApply = true;
  const pending = refund(orders[1]!, requestId, key, client.signal).catch((error: Error) => error);
  try {
    // Applied upstream, answer held: the caller gives up now.
    await legacy.writes.whenHeld();
    client.abort();
    await expect(pending).resolves.toMatchObject({ name: 'AbortError' });
    const aborted = await gateway.waitFor((l) => l.requestId === requestId && l.msg === 'request aborted');
    expect(aborted).toMatchObject({ idempotencyKey: key, event: 'request aborted', status: null });
  } finally {
    legacy.writes.holdAfterApply = false;
    legacy.writes.releaseHeld();
  }
  // The subgraph finished the work all the same, under the same request id and key.
  const outcome = await ordersSubgraph.waitFor((l) => l.requestId === requestId && l.event === 'outcome');
  expect(outcome).toMatchObject({ outcome: 'success', idempotencyKey: key });
  expect(gateway.logs.some((l) => l.requestId === requestId && l.msg === 'request completed')).toBe(false);
  // The caller's retry with the same key gets that work's answer, marked replayed.
  const retry = await refund(orders[1]!, `audit-${randomUUID()}`, key);
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(legacy.writes.refundCallsByKey.get(key)).toBe(1);
});
