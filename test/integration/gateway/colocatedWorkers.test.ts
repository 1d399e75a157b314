import { ORDER_HISTORY_QUERY } from '../../../bench/orderHistoryQuery';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { spawnComponent, type Component } from '../../helpers/spawnComponent';
import { startTestStack, upstreamVarsOf, type TestStack } from '../../helpers/startTestStack';

// COLOCATED_WORKERS=2: a primary forks two co-located gateways that share the public port
// (node:cluster) and serves the admin port for both: `/metrics` summed over the workers, `/status`
// per worker, a dead worker replaced, and SIGTERM draining every worker before the primary exits.

const jwt = parseJwtEnv({});
const WORKER_LISTENING = 'co-located gateway worker listening';
let simulators: TestStack;
let primary: Component;
let url: string;
let admin: string;
beforeAll(async () => {
  simulators = await startTestStack();
  const upstreams = upstreamVarsOf(simulators);

  // Several workers share their state through Redis (they refuse to start without it).
  primary = spawnComponent('colocated/main.js', {
    ...upstreams,
    GATEWAY_PORT: '0',
    COLOCATED_WORKERS: '2',
    REDIS_URL: 'redis://127.0.0.1:6379',
  });
  admin = String((await primary.waitFor('co-located gateway primary started')).admin);
  url = String((await primary.waitFor((l) => l.msg === WORKER_LISTENING && listening() >= 2, 30_000)).url);
});
afterAll(async () => {
  await primary?.kill('SIGKILL');
  await simulators?.stop();
});

const listening = () => primary.logs.filter((l) => l.msg === WORKER_LISTENING).length;
const page = async () => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `JWT ${signToken('learner1', jwt)}` },
    body: JSON.stringify({ query: ORDER_HISTORY_QUERY, variables: { page: 1 } }),
  });
  return (await response.json()) as { data?: any; errors?: unknown };
};
const adminJson = async (path: string) => {
  const response = await fetch(`${admin}${path}`);
  return { status: response.status, body: (await response.json()) as any };
};
/** switchyard_upstream_calls_total for legacy, every outcome, summed over the series shown. */
const legacyCallsInMetrics = async () => {
  const text = await (await fetch(`${admin}/metrics`)).text();
  return [
    ...text.matchAll(/^switchyard_upstream_calls_total\{[^}]*upstream="legacy-ecommerce"[^}]*\} (\S+)$/gm),
  ]
    .map((m) => Number(m[1]))
    .reduce((a, b) => a + b, 0);
};
const workerPids = async (): Promise<number[]> =>
  ((await adminJson('/status')).body.workers as { pid: number }[]).map((w) => w.pid);

it('serves the page from two workers, and /readyz counts them', async () => {
  for (let i = 0; i < 4; i++) expect((await page()).errors).toBeUndefined();
  expect(await adminJson('/readyz')).toEqual({
    status: 200,
    body: { status: 'ready', workers: { ready: 2, wanted: 2 } },
  });
});

it("sums the workers' metrics: the legacy calls counted are the calls legacy received", async () => {
  const counted = await legacyCallsInMetrics();
  const received = simulators.simulators.legacy!.stats().total;
  for (let i = 0; i < 8; i++) await page();
  expect((await legacyCallsInMetrics()) - counted).toBe(
    simulators.simulators.legacy!.stats().total - received,
  );
  expect((await legacyCallsInMetrics()) - counted).toBeGreaterThanOrEqual(8);
});

it('lists each worker on /status with its own upstreams', async () => {
  const { body } = await adminJson('/status');
  expect(body.degraded).toBe(false);
  expect(body.workers).toHaveLength(2);
  const pids = body.workers.map((w: { pid: number }) => w.pid);
  expect(new Set(pids).size).toBe(2);
  for (const worker of body.workers) {
    expect(worker.upstreams.map((u: { name: string }) => u.name)).toContain('legacy-ecommerce');
    // Each worker's orders rollout guard, as the orders subgraph's own /status shows it.
    expect(worker.rollout).toMatchObject({ halted: false });
  }
});

it('replaces a worker that dies, and keeps answering meanwhile', async () => {
  const [victim] = await workerPids();
  const before = listening();
  process.kill(victim!, 'SIGKILL');
  const logged = await primary.waitFor((l) => l.pid === victim && l.signal === 'SIGKILL');
  expect(logged).toMatchObject({ level: 50, msg: 'gateway worker exited unexpectedly; starting another' });
  expect((await page()).errors).toBeUndefined();
  await primary.waitFor((l) => l.msg === WORKER_LISTENING && listening() > before, 30_000);
  expect((await adminJson('/readyz')).body.workers).toEqual({ ready: 2, wanted: 2 });
  expect(await workerPids()).not.toContain(victim);
});

it('on SIGTERM drains every worker, then exits 0', async () => {
  const pids = await workerPids();
  await primary.kill('SIGTERM');
  expect(await primary.exited).toBe(0);
  for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
});

it('refuses COLOCATED_WORKERS=0, naming it', async () => {
  const refused = spawnComponent('colocated/main.js', { COLOCATED_WORKERS: '0', LEGACY_ECOMMERCE_URL: url });
  expect(await refused.exited).toBe(1);
  expect(refused.stderr()).toContain('COLOCATED_WORKERS');
});
