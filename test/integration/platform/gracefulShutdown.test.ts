import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';
import { spawnComponent, type Component } from '../../helpers/spawnComponent';

// A rolling restart, as Kubernetes does it, on the real gateway process: on SIGTERM `/readyz` turns
// 503 at once while requests are still served, the request in flight finishes with its answer, and
// the process exits 0 (platform/runMain.ts). The orders subgraph is a fake that holds its answer until
// the test lets it go, so nothing here depends on how fast the box is.

let orders: FakeUpstream;
let gateway: Component | undefined;
beforeAll(async () => {
  orders = await startFakeUpstream();
});
afterAll(async () => {
  await gateway?.kill('SIGKILL');
  await orders.close();
});

it('turns /readyz 503 on SIGTERM, finishes the request in flight, then exits 0', async () => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrived: () => void = () => undefined;
  const inFlight = new Promise<void>((resolve) => (arrived = resolve));
  orders.handle((_req, res) => {
    arrived();
    void held.then(() => json(res, 200, { data: { orderHistory: { count: 7 } } }));
  });
  gateway = spawnComponent('gateway/main.js', {
    GATEWAY_PORT: '0',
    ORDERS_SUBGRAPH_URL: `${orders.url}/graphql`,
    CATALOG_SUBGRAPH_URL: `${orders.url}/graphql`,
    // Long enough to read /readyz in; the test releases the request before it matters.
    SHUTDOWN_DELAY_MS: '2000',
  });
  const listening = await gateway.waitFor('gateway listening');
  const url = String(listening.url).replace(/\/graphql$/, '');
  const admin = String(listening.admin);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);

  const answer = fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${signToken('learner1', parseJwtEnv({}))}`,
    },
    body: JSON.stringify({ query: '{ orderHistory(pageSize: 1) { count } }' }),
  });
  await inFlight;
  gateway.process.kill('SIGTERM');
  // Not ready on both ports from the signal on, though still answering.
  let ready = 200;
  for (let i = 0; i < 100 && ready === 200; i++) ready = (await fetch(`${url}/readyz`)).status;
  expect(ready).toBe(503);
  expect((await fetch(`${admin}/readyz`)).status).toBe(503);
  release();
  const response = await answer;
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { orderHistory: { count: 7 } } });
  expect(await gateway.exited).toBe(0);
});
