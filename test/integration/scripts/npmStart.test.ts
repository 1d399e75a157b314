import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { spawnComponent, type Component } from '../../helpers/spawnComponent';
import { refundableOrders } from '../../helpers/refundableOrders';

// `npm start`'s own entry point (dist/scripts/start.js), every port 0, on the real Redis.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const jwt = parseJwtEnv({});
const order = refundableOrders('learner1')[0]!;
const PORTS = [
  'GATEWAY_PORT',
  'ORDERS_SUBGRAPH_PORT',
  'CATALOG_SUBGRAPH_PORT',
  'LEGACY_SIMULATOR_PORT',
  'DISCOVERY_SIMULATOR_PORT',
  'VENDOR_SIMULATOR_PORT',
  'LMS_SIMULATOR_PORT',
  'REFUND_WORKER_PORT',
  'ADMIN_PORT',
];

let start: Component | undefined;
afterAll(() => start?.kill('SIGKILL'));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function bannerLine(component: Component, pattern: RegExp): Promise<RegExpExecArray> {
  for (let i = 0; i < 300; i++) {
    for (const line of component.lines) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no line matching ${pattern}: ${component.lines.join('\n')}`);
}

it('runs the refund worker as its own process, which delivers, and stops it with the rest on Ctrl-C', async () => {
  start = spawnComponent('scripts/start.js', {
    REDIS_URL,
    REFUND_QUEUE_PREFIX: `test-${randomUUID()}`,
    REFUND_RETRY_BASE_MS: '50',
    // The seed's orders are years old: a refund window that still covers them.
    REFUND_WINDOW_DAYS: '36500',
    ...Object.fromEntries(PORTS.map((name) => [name, '0'])),
  });
  // The banner names the worker's status URL (its port was 0: the parent learnt the bound one) and pid.
  const [, workerUrl, workerPid] = await bannerLine(
    start,
    /refund worker\s+(http:\/\/\S+)\/status\s+\(pid (\d+)/,
  );
  const pid = Number(workerPid);
  const gateway = (await bannerLine(start, /gateway\s+(http:\/\/\S+\/graphql)/))[1]!;
  expect(pid).not.toBe(start.process.pid);
  expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('subgraphs/orders/worker/main.js');
  await start.waitFor('refund worker started');
  expect(workerUrl).not.toMatch(/:0$/);
  const status = await fetch(`${workerUrl}/status`);
  expect(status.status).toBe(200);
  expect(await status.json()).toMatchObject({
    component: 'refund-worker',
    queue: { name: 'switchyard-refunds' },
  });

  // The worker process is the one that delivers a deferred refund.
  const post = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(gateway, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `JWT ${signToken('learner1', jwt)}`,
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.json() as Promise<any>);
  const queued = await post(
    'mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }',
    { input: { orderNumber: order.number, delivery: 'DEFERRED' } },
    { 'idempotency-key': randomUUID() },
  );
  const id = queued.data.requestRefund.id;
  await start.waitFor((l) => l.msg === 'deferred refund delivered' && l.jobId === id);
  const read = await post('query S($id: ID!) { refundRequest(id: $id) { status } }', { id });
  expect(read.data.refundRequest.status).toBe('OPEN');

  // Ctrl-C: the parent stops the worker (cleanly, once) and everything else, and exits 0.
  start.process.kill('SIGINT');
  await expect(start.exited).resolves.toBe(0);
  expect(start.logs.some((l) => l.msg === 'refund worker stopped')).toBe(true);
  expect(alive(pid)).toBe(false);
}, 60_000);
