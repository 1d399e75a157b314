import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { promSample as sample } from '../../../../helpers/promSample';
import { spawnComponent, type Component } from '../../../../helpers/spawnComponent';
import { freePort } from '../../../../helpers/freePort';
import { startRedisServer } from '../../../../helpers/startRedisServer';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';
import { refundableOrders } from '../../../../helpers/refundableOrders';

// The refund worker as its own process (dist/subgraphs/orders/worker/main.js) on REFUND_WORKER_PORT=0:
// its probes, /status and /metrics, against the real Redis (a fresh queue prefix per test) or a private
// redis-server stopped mid-test.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;
const orders = refundableOrders('learner4').map((o) => o.number);
const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'];

const running: Component[] = [];
const stacks: TestStack[] = [];
const redisServers: ChildProcess[] = [];
afterEach(async () => {
  for (const stack of stacks) stack.simulators.legacy?.writes.releaseHeld();
  await Promise.all(running.splice(0).map((c) => c.kill('SIGKILL')));
  await Promise.all(stacks.splice(0).map((s) => s.stop()));
  for (const redis of redisServers.splice(0)) redis.kill('SIGKILL');
});

async function startWorker(env: Record<string, string>): Promise<{ worker: Component; url: string }> {
  const worker = spawnComponent('subgraphs/orders/worker/main.js', { REFUND_WORKER_PORT: '0', ...env });
  running.push(worker);
  const url = String((await worker.waitFor('refund worker listening')).url);
  return { worker, url };
}

async function startStack(): Promise<{ stack: TestStack; prefix: string }> {
  const prefix = `test-${randomUUID()}`;
  const stack = await startTestStack({ REDIS_URL, REFUND_QUEUE_PREFIX: prefix });
  stacks.push(stack);
  return { stack, prefix };
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: any;
}
async function get(url: string): Promise<Answer> {
  const response = await fetch(url);
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    contentType,
    text,
    body: contentType.includes('json') ? JSON.parse(text) : undefined,
  };
}

/** Asks again until `done` holds: only where the answer depends on another process's progress. */
async function until(url: string, done: (a: Answer) => boolean, what: string): Promise<Answer> {
  let last: Answer | undefined;
  for (let i = 0; i < 200; i++) {
    last = await get(url);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: never reached; last answer ${last?.status} ${last?.text}`);
}

const queueRefund = async (stack: TestStack, orderNumber: string): Promise<string> => {
  const queued = await stack.query<any>(REFUND, {
    user: 'learner4',
    variables: { input: { orderNumber, delivery: 'DEFERRED' } },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(queued.body.data?.requestRefund.status).toBe('PENDING');
  return queued.body.data.requestRefund.id;
};

it('serves /healthz, /readyz, /metrics and /status, and counts a delivered deferred refund in both', async () => {
  const { stack, prefix } = await startStack();
  const { worker, url } = await startWorker({
    LEGACY_ECOMMERCE_URL: stack.simulators.legacy!.url,
    LMS_OAUTH2_URL: stack.simulators.lms!.url,
    DISCOVERY_URL: stack.simulators.discovery!.url,
    REFUND_WINDOW_DAYS: '36500',
    REDIS_URL,
    REFUND_QUEUE_PREFIX: prefix,
  });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
  expect(await get(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
  const ready = await until(`${url}/readyz`, (a) => a.status === 200, 'ready');
  expect(ready.body).toEqual({ status: 'ready', worker: 'running', redis: 'ready' });

  const before = await get(`${url}/status`);
  expect(before.status).toBe(200);
  expect(before.body).toMatchObject({
    component: 'refund-worker',
    degraded: false,
    upstreams: [
      { name: 'legacy-ecommerce', breaker: 'closed', lastError: null },
      { name: 'lms-oauth2', breaker: 'closed', lastError: null },
      // The refund rule's inputs, read again at delivery.
      { name: 'discovery', breaker: 'closed', lastError: null },
      { name: 'lms-api', breaker: 'closed', lastError: null },
    ],
    worker: { state: 'running', ready: true, redis: 'ready', lastError: null },
    queue: { name: 'switchyard-refunds', prefix, counts: Object.fromEntries(STATES.map((s) => [s, 0])) },
  });
  const scrape = await get(`${url}/metrics`);
  expect(scrape.status).toBe(200);
  expect(scrape.contentType).toContain('text/plain');
  expect(
    ['delivered', 'retried', 'failed'].map((outcome) =>
      sample(scrape.text, 'switchyard_refund_jobs_total', { outcome, component: 'refund-worker' }),
    ),
  ).toEqual([0, 0, 0]);
  expect(STATES.map((state) => sample(scrape.text, 'switchyard_refund_queue_jobs', { state }))).toEqual(
    STATES.map(() => 0),
  );
  expect(sample(scrape.text, 'switchyard_refund_delivery_duration_seconds_count')).toBe(0);

  const id = await queueRefund(stack, orders[0]!);
  await worker.waitFor((l) => l.msg === 'deferred refund delivered' && l.jobId === id);

  const metrics = (await get(`${url}/metrics`)).text;
  expect(sample(metrics, 'switchyard_refund_jobs_total', { outcome: 'delivered' })).toBe(1);
  expect(sample(metrics, 'switchyard_refund_jobs_total', { outcome: 'retried' })).toBe(0);
  expect(sample(metrics, 'switchyard_refund_delivery_duration_seconds_count')).toBe(1);
  // Refreshed by the scrape itself: no timer ran between the delivery and this read.
  expect(sample(metrics, 'switchyard_refund_queue_jobs', { state: 'completed' })).toBe(1);
  expect(sample(metrics, 'switchyard_refund_queue_jobs', { state: 'waiting' })).toBe(0);
  // The worker's own upstream client, measured like the subgraphs' (createUpstreamMetrics).
  expect(
    sample(metrics, 'switchyard_upstream_calls_total', { upstream: 'legacy-ecommerce', outcome: 'success' }),
  ).toBeGreaterThanOrEqual(1);
  const after = await get(`${url}/status`);
  expect(after.body.queue.counts).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 1 });
  expect(after.body.worker.lastError).toBeNull();
}, 60_000);

it('on SIGTERM turns not ready at once, finishes the active delivery while still answering, then closes', async () => {
  const { stack, prefix } = await startStack();
  const legacy = stack.simulators.legacy!;
  const { worker, url } = await startWorker({
    LEGACY_ECOMMERCE_URL: legacy.url,
    LMS_OAUTH2_URL: stack.simulators.lms!.url,
    DISCOVERY_URL: stack.simulators.discovery!.url,
    REFUND_WINDOW_DAYS: '36500',
    REDIS_URL,
    REFUND_QUEUE_PREFIX: prefix,
    // The held answer must outlast the checks below, not the upstream deadline.
    LEGACY_ECOMMERCE_TIMEOUT_MS: '30000',
    LEGACY_ECOMMERCE_REQUEST_TIMEOUT_MS: '30000',
  });
  await until(`${url}/readyz`, (a) => a.status === 200, 'ready');
  legacy.writes.holdAfterApply = true;
  const id = await queueRefund(stack, orders[1]!);
  await legacy.writes.whenHeld(); // the refund is applied upstream, its answer held: one active job

  worker.process.kill('SIGTERM');
  const draining = await until(`${url}/readyz`, (a) => a.status === 503, 'not ready after SIGTERM');
  expect(draining.body).toMatchObject({ status: 'not ready', worker: 'closing', redis: 'ready' });
  expect((await get(`${url}/healthz`)).status).toBe(200);
  const status = await get(`${url}/status`);
  expect(status.body.worker).toMatchObject({ state: 'closing', ready: false });
  expect(status.body.queue.counts.active).toBe(1);
  expect(worker.process.exitCode).toBeNull();

  legacy.writes.holdAfterApply = false;
  legacy.writes.releaseHeld();
  await expect(worker.exited).resolves.toBe(0);
  // Delivered before the process ended (its whole output is read once it has). Not asserted: the line's
  // place against "refund worker stopped": BullMQ emits `completed` from its own loop, which once, on a
  // starved box, ran after the drain had returned. The refund itself reached the legacy API:
  const messages = worker.logs.map((l) => (l.jobId === id ? `${String(l.msg)} ${id}` : l.msg));
  expect(messages).toContain(`deferred refund delivered ${id}`);
  expect(messages).toContain('refund worker stopped');
  expect(legacy.writes.refunds.filter((r) => r.orderNumber === orders[1])).not.toHaveLength(0);
  // The server closed last, with the worker.
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
}, 60_000);

it('on SIGTERM with Redis gone mid-drain, still stops (the active job is left to the next worker)', async () => {
  const port = await freePort();
  redisServers.push(await startRedisServer(port));
  const prefix = `test-${randomUUID()}`;
  const stack = await startTestStack({ REDIS_URL: `redis://127.0.0.1:${port}`, REFUND_QUEUE_PREFIX: prefix });
  stacks.push(stack);
  const legacy = stack.simulators.legacy!;
  const { worker, url } = await startWorker({
    LEGACY_ECOMMERCE_URL: legacy.url,
    LMS_OAUTH2_URL: stack.simulators.lms!.url,
    DISCOVERY_URL: stack.simulators.discovery!.url,
    REFUND_WINDOW_DAYS: '36500',
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REFUND_QUEUE_PREFIX: prefix,
    LEGACY_ECOMMERCE_TIMEOUT_MS: '500',
  });
  await until(`${url}/readyz`, (a) => a.status === 200, 'ready');
  legacy.writes.holdAfterApply = true;
  await queueRefund(stack, orders[2]!);
  await legacy.writes.whenHeld();

  worker.process.kill('SIGTERM');
  await until(`${url}/readyz`, (a) => a.status === 503, 'not ready after SIGTERM');
  // Nothing can record the job's outcome now; BullMQ's graceful close alone would wait for Redis forever.
  const redis = redisServers.pop()!;
  redis.kill('SIGKILL');
  await once(redis, 'exit');
  await expect(worker.exited).resolves.toBe(0);
  expect(worker.logs.map((l) => l.msg)).toContain('refund worker stopped');
  // The stack's own clients need a Redis to say goodbye to.
  redisServers.push(await startRedisServer(port));
}, 60_000);

it('started without a reachable Redis: /healthz 200, /readyz 503, /status says why, and SIGTERM stops it', async () => {
  const closed = await freePort();
  const { worker, url } = await startWorker({
    LEGACY_ECOMMERCE_URL: `http://127.0.0.1:${closed}`,
    REDIS_URL: `redis://127.0.0.1:${closed}`,
  });
  expect(await get(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
  const readyz = await get(`${url}/readyz`);
  expect(readyz.status).toBe(503);
  expect(readyz.body).toMatchObject({ status: 'not ready', worker: 'running' });
  expect(readyz.body.redis).not.toBe('ready');

  const status = await until(`${url}/status`, (a) => a.body.worker.lastError !== null, 'a Redis error');
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({
    component: 'refund-worker',
    degraded: true,
    worker: { state: 'running', ready: false, lastError: { source: 'worker', code: 'ECONNREFUSED' } },
    queue: { counts: null, error: expect.stringMatching(/redis not connected/) },
  });
  expect(Date.parse(status.body.worker.lastError.at)).not.toBeNaN();
  // The scrape still answers; the queue gauges have no samples rather than stale or made-up counts.
  const metrics = await get(`${url}/metrics`);
  expect(metrics.status).toBe(200);
  expect(sample(metrics.text, 'switchyard_refund_queue_jobs')).toBeUndefined();
  expect(sample(metrics.text, 'switchyard_refund_jobs_total', { outcome: 'delivered' })).toBe(0);

  await worker.kill('SIGTERM');
  await expect(worker.exited).resolves.toBe(0);
  expect(worker.logs.some((l) => l.msg === 'refund worker stopped')).toBe(true);
}, 60_000);

it('loses Redis: /readyz 503 while it is gone, /healthz 200 throughout, ready again once it is back', async () => {
  const port = await freePort();
  redisServers.push(await startRedisServer(port));
  const { url } = await startWorker({
    LEGACY_ECOMMERCE_URL: `http://127.0.0.1:${port}`,
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REFUND_QUEUE_PREFIX: `test-${randomUUID()}`,
  });
  await until(`${url}/readyz`, (a) => a.status === 200, 'ready');

  const redis = redisServers.pop()!;
  redis.kill('SIGKILL');
  await once(redis, 'exit');
  const down = await until(`${url}/readyz`, (a) => a.status === 503, 'not ready without Redis');
  expect(down.body.redis).not.toBe('ready');
  expect(await get(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
  const status = await get(`${url}/status`);
  expect(status.body).toMatchObject({ degraded: true, worker: { ready: false }, queue: { counts: null } });

  redisServers.push(await startRedisServer(port));
  const back = await until(`${url}/readyz`, (a) => a.status === 200, 'ready again');
  expect(back.body).toEqual({ status: 'ready', worker: 'running', redis: 'ready' });
  expect((await get(`${url}/status`)).body.queue.counts).toEqual(
    Object.fromEntries(STATES.map((s) => [s, 0])),
  );
}, 60_000);

it.each(['70000', 'http'])(
  'a bad REFUND_WORKER_PORT (%s) stops start-up with a message naming it',
  async (value) => {
    const worker = spawnComponent('subgraphs/orders/worker/main.js', {
      LEGACY_ECOMMERCE_URL: 'http://127.0.0.1:9',
      REDIS_URL,
      REFUND_WORKER_PORT: value,
    });
    running.push(worker);
    await expect(worker.exited).resolves.toBe(1);
    expect(worker.stderr()).toContain(`REFUND_WORKER_PORT="${value}"`);
    expect(worker.logs.map((l) => l.msg)).not.toContain('refund worker started');
  },
);
