import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { runRolloutCommand } from '../../../../../../scripts/rollout/runRolloutCommand';
import type { VendorSimulator } from '../../../../../../simulators/vendor/createVendorSimulator';
import {
  dropRedisKeys,
  startGuardedRolloutUpstreams,
  type GuardedRolloutUpstreams,
} from '../../../../../helpers/guardedRolloutUpstreams';
import { promSample } from '../../../../../helpers/promSample';
import { runScript } from '../../../../../helpers/runScript';
import {
  eventually,
  startGuardedOrders,
  type GuardedOrders,
} from '../../../../../helpers/startGuardedOrders';

// Two real orders-subgraph processes sharing the real Redis, a rollout of 20 % to the vendor, and the
// vendor simulator's fault knob: the guardrail must halt both, and an operator must bring it back.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = `test:rollout-halt:${randomUUID()}`;
const POLL_MS = 200;
const MIN_READS = 10;
const silent = pino({ level: 'silent' });

let upstreams: GuardedRolloutUpstreams;
let vendor: VendorSimulator;
// Learners with legacy orders; those in the 20 % also have vendor copies numbered 2U-9….
let moved: string[];
let stayed: string[];
let a: GuardedOrders;
let b: GuardedOrders;

beforeAll(async () => {
  upstreams = await startGuardedRolloutUpstreams();
  ({ vendor, moved, stayed } = upstreams);
  const env = {
    ...upstreams.env,
    REDIS_URL,
    ADMIN_HOST: '127.0.0.1',
    ORDERS_ROLLOUT_BACKEND: 'vendor',
    ORDERS_ROLLOUT_PERCENT: '20',
    ORDERS_GUARD_REDIS_KEY: KEY,
    ORDERS_GUARD_POLL_MS: String(POLL_MS),
    ORDERS_GUARD_ERROR_MIN_READS: String(MIN_READS),
    // The vendor's breaker opens under the faults; it must let a trial through soon after they end.
    VENDOR_API_BREAKER_RESET_MS: '1000',
  };
  [a, b] = await Promise.all([startGuardedOrders(env), startGuardedOrders(env)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a, b].map((i) => i?.component.kill('SIGKILL')));
  await upstreams?.close();
  await dropRedisKeys(REDIS_URL, KEY);
});

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
};
const command = (argv: string[]) => {
  const captured = io();
  return runRolloutCommand(argv, { REDIS_URL, ORDERS_GUARD_REDIS_KEY: KEY }, captured.io, silent).then(
    (code) => ({ code, ...captured }),
  );
};

it('halts on both instances when the vendor fails, serves everyone from legacy without failures, and resumes on command', async () => {
  expect(moved.length).toBeGreaterThanOrEqual(5);
  // Before: moved learners on the vendor, the others on legacy, from either instance.
  for (const user of moved.slice(0, 3)) expect(await a.history(user)).toEqual({ systems: '2U' });
  for (const user of stayed.slice(0, 3)) expect(await b.history(user)).toEqual({ systems: 'EDX' });

  // The vendor fails every call; only instance A sees traffic from moved learners.
  vendor.setFaults({ errorRate: 1, errorStatus: 503 });
  const startedAt = Date.now();
  const failedBeforeHalt: string[] = [];
  for (let i = 0; !(await a.status()).rollout.halted; i++) {
    if (Date.now() - startedAt > 30_000) throw new Error('instance A never halted');
    const answer = await a.history(moved[i % moved.length]!);
    if (answer.errors) failedBeforeHalt.push(answer.errors[0]?.extensions?.code ?? '?');
  }
  // B never saw an error: it learns the halt from Redis within a poll or two.
  await eventually(
    'instance B halted',
    async () => (await b.status()).rollout.halted === true,
    10 * POLL_MS + 5000,
  );
  const haltedWithin = Date.now() - startedAt;
  expect(haltedWithin).toBeLessThan(60_000); // the error window
  // The 3 good reads above and the failures after them fill the window to its minimum: 7/10 halts.
  expect(failedBeforeHalt).toHaveLength(MIN_READS - 3);
  for (const code of failedBeforeHalt) expect(code).toMatch(/^UPSTREAM_(ERROR|UNAVAILABLE)$/);

  // After: nobody is served by the vendor, and nobody's request fails (the vendor is still down).
  const vendorCalls = vendor.stats().total;
  for (const instance of [a, b]) {
    for (const user of moved) expect(await instance.history(user)).toEqual({ systems: 'EDX' });
    for (const user of stayed.slice(0, 5)) expect(await instance.history(user)).toEqual({ systems: 'EDX' });
  }
  expect(vendor.stats().total).toBe(vendorCalls);

  // Logs: one line with the figures on A, one "applied" line on B; none per request.
  const haltedLines = a.component.logs.filter((l) => l.event === 'rollout_halted');
  expect(haltedLines).toHaveLength(1);
  expect(haltedLines[0]).toMatchObject({
    reason: 'error_rate',
    mode: 'vendor',
    samples: MIN_READS,
    bad: MIN_READS - 3,
    rate: 0.7,
    threshold: 0.05,
    windowMs: 60_000,
    minSamples: MIN_READS,
  });
  expect(b.component.logs.filter((l) => l.event === 'rollout_halted')).toHaveLength(0);
  expect(b.component.logs.filter((l) => l.event === 'rollout_halt_applied')).toEqual([
    expect.objectContaining({ reason: 'error_rate', by: haltedLines[0]!.instance }),
  ]);
  // Metrics and /status on both.
  for (const instance of [a, b]) {
    const text = await instance.metrics();
    expect(promSample(text, 'switchyard_rollout_halted')).toBe(1);
    expect(promSample(text, 'switchyard_rollout_halts_total', { reason: 'error_rate' })).toBe(1);
    expect(
      promSample(text, 'switchyard_orders_history_reads_total', { mode: 'legacy', outcome: 'ok' }),
    ).toBeGreaterThan(0);
    expect((await instance.status()).rollout).toMatchObject({
      mode: 'vendor',
      basisPoints: 2000,
      halted: true,
      store: 'redis',
      last: {
        state: 'halted',
        record: { reason: 'error_rate', figures: { mode: 'vendor', samples: MIN_READS, bad: MIN_READS - 3 } },
      },
    });
  }
  expect(
    promSample(await a.metrics(), 'switchyard_orders_history_reads_total', {
      mode: 'vendor',
      outcome: 'error',
    }),
  ).toBe(MIN_READS - 3);

  // Nothing resumes by itself: the vendor recovers, the rollout stays halted.
  vendor.clearFaults();
  await new Promise((r) => setTimeout(r, 3 * POLL_MS));
  expect(await a.history(moved[0]!)).toEqual({ systems: 'EDX' });

  // As the runbook says: resume once the vendor's breaker is no longer open, or the fresh window
  // would fill with its fail-fast refusals and halt again.
  await new Promise((r) => setTimeout(r, 1100));
  // The operator's command (programmatic), then both instances serve the rollout again.
  const status = await command(['status']);
  expect(status).toMatchObject({ code: 0 });
  expect(status.out.join('\n')).toMatch(/HALTED .* error_rate 0\.700 = 7\/10 over 60000 ms on vendor/);
  const resumed = await command(['resume', '--reason', 'vendor fixed']);
  expect(resumed.code).toBe(0);
  expect(resumed.out.join('\n')).toContain('resumed');
  for (const instance of [a, b]) {
    await eventually('resumed', async () => (await instance.status()).rollout.halted === false);
    for (const user of moved.slice(0, 3)) expect(await instance.history(user)).toEqual({ systems: '2U' });
    expect(promSample(await instance.metrics(), 'switchyard_rollout_halted')).toBe(0);
  }
  expect((await command(['resume', '--reason', 'again'])).code).toBe(1);

  // Once more through the built CLI: an operator halt, then a resume.
  const cliEnv = { REDIS_URL, ORDERS_GUARD_REDIS_KEY: KEY };
  const halt = await runScript('scripts/rollout.js', ['halt', '--reason', 'drill'], cliEnv);
  expect(halt).toMatchObject({ code: 0 });
  expect(halt.stdout).toContain('halted');
  for (const instance of [a, b]) {
    await eventually('operator halt', async () => (await instance.status()).rollout.halted === true);
    expect(await instance.history(moved[0]!)).toEqual({ systems: 'EDX' });
    expect(
      promSample(await instance.metrics(), 'switchyard_rollout_halts_total', { reason: 'operator' }),
    ).toBe(1);
  }
  const cliStatus = await runScript('scripts/rollout.js', ['status'], cliEnv);
  expect(cliStatus.stdout).toMatch(/HALTED .* operator .*reason: "drill"/);
  const cliResume = await runScript('scripts/rollout.js', ['resume', '--reason=drill over'], cliEnv);
  expect(cliResume).toMatchObject({ code: 0 });
  for (const instance of [a, b]) {
    await eventually('resumed by the CLI', async () => (await instance.status()).rollout.halted === false);
    expect(await instance.history(moved[0]!)).toEqual({ systems: '2U' });
  }
}, 120_000);

it('the command refuses bad input and a missing Redis with a message and a non-zero exit', async () => {
  expect(await runScript('scripts/rollout.js', ['status'], {})).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('REDIS_URL is not set'),
  });
  for (const argv of [
    [],
    ['restart'],
    ['halt'],
    ['resume', '--reason', ''],
    ['halt', '--reason', 'x'.repeat(201)],
    ['status', 'now'],
  ]) {
    const run = await command(argv);
    expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
    expect(run.err.join('\n')).toContain('usage: npm run rollout');
  }
  // Nothing listens on port 1: the command says so and exits 1 (in its own process: a client that
  // never connected is not the test runner's to keep).
  expect(
    await runScript('scripts/rollout.js', ['status'], { REDIS_URL: 'redis://127.0.0.1:1' }),
  ).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('cannot reach the halt state in Redis (redis://127.0.0.1:1)'),
  });
}, 30_000);
