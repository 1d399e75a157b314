import { performance } from 'node:perf_hooks';
import {
  learner,
  startShadowedBackend,
  type ShadowedBackend,
} from '../../../../../helpers/startShadowedBackend';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';
import { startTwinSimulators, type TwinSimulators } from '../../../../../helpers/startTwinSimulators';

const SHADOW_DEADLINE_MS = 1000;
const SHADOW = {
  ORDERS_SHADOW_BACKEND: 'vendor',
  ORDERS_SHADOW_SAMPLE_RATE: '1',
  ORDERS_SHADOW_TIMEOUT_MS: String(SHADOW_DEADLINE_MS),
  ORDERS_SHADOW_MAX_CONCURRENT: '2',
  // The vendor clients' own deadlines sit above the shadow's, so it is the shadow's that fires.
  VENDOR_API_TIMEOUT_MS: '1500',
  VENDOR_AUTH_TIMEOUT_MS: '1500',
  VENDOR_API_REQUEST_TIMEOUT_MS: '1500',
  VENDOR_AUTH_REQUEST_TIMEOUT_MS: '1500',
};
const query = { username: 'learner1', page: 1, pageSize: 20 };

describe('a hanging shadow backend, seen from the orders backend', () => {
  let twins: TwinSimulators;
  let shadowed: ShadowedBackend;
  beforeAll(async () => {
    twins = await startTwinSimulators(['learner1']);
    shadowed = startShadowedBackend({ ...twins.env, ...SHADOW });
    twins.vendor.setFaults({ hang: true });
  });
  afterAll(async () => {
    await twins.close();
    await shadowed.close();
  });

  it('answers every call at once, caps the reads in flight, and counts the rest as dropped then timed out', async () => {
    const expected = twins.orders.slice(0, 20).map((o) => o.number);
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const page = await shadowed.backend.listOrders(query, learner('learner1'));
      // Generous on purpose: the point is that the primary never waits for the shadow's deadline.
      expect(performance.now() - started).toBeLessThan(SHADOW_DEADLINE_MS / 2);
      expect(page.orders.map((o) => o.number)).toEqual(expected);
    }
    await shadowed.until(async () => (await shadowed.counts('reads', 'outcome')).timeout === 2);
    expect(await shadowed.counts('reads', 'outcome')).toEqual({ dropped: 3, timeout: 2 });
    // The shadow really did go to the vendor (its token request hangs there).
    expect(twins.vendor.stats().total).toBeGreaterThan(0);
  });

  it('frees its slots at the deadline, so later samples are read and compared again', async () => {
    twins.vendor.clearFaults();
    // A read may still join the vendor token request that hung (it ends on the client's own deadline,
    // and is then counted as an error): keep sampling until one is compared.
    await shadowed.until(async () => {
      await shadowed.backend.listOrders(query, learner('learner1'));
      await new Promise((r) => setTimeout(r, 100));
      return ((await shadowed.counts('reads', 'outcome')).match ?? 0) > 0;
    });
    expect(shadowed.logs.filter((l) => l.event === 'orders_shadow_mismatch')).toEqual([]);
  });
});

describe('a hanging shadow backend, seen through the gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(SHADOW);
  });
  afterAll(() => stack.stop());

  it('changes neither the response nor its latency', async () => {
    // A shadow deadline far beyond a page's time: the answers below come back while every shadow read
    // still hangs, and no shadow read has timed out yet, which shows the primary never waits for it
    // (no tight wall-clock bound: a 2-core box under load once took 1.3 s for a page, which a
    // "< 500 ms" check called a failure). Stopping the stack waits out the hung reads.
    const slowShadow = await startTestStack({
      ...SHADOW,
      ORDERS_SHADOW_TIMEOUT_MS: '8000',
      VENDOR_API_TIMEOUT_MS: '9000',
      VENDOR_API_REQUEST_TIMEOUT_MS: '9000',
      VENDOR_AUTH_TIMEOUT_MS: '9000',
      VENDOR_AUTH_REQUEST_TIMEOUT_MS: '9000',
    });
    try {
      const HISTORY = `{ orderHistory(pageSize: 10) { count complete orders { number total { amount } } } }`;
      const healthy = await slowShadow.query(HISTORY, { user: 'learner1' });
      expect(healthy.body.errors).toBeUndefined();
      slowShadow.simulators.vendor!.setFaults({ hang: true });
      const reads = slowShadow.simulators.vendor!.stats().total;
      for (let i = 0; i < 3; i++) {
        const result = await slowShadow.query(HISTORY, { user: 'learner1' });
        expect(result.body).toEqual(healthy.body);
      }
      // The shadow was asked (and is still hanging): the answers above did not wait for it.
      expect(slowShadow.simulators.vendor!.stats().total).toBeGreaterThan(reads);
      const shadowReads = await (await fetch(`${slowShadow.adminUrls.orders}/metrics`)).text();
      expect(shadowReads).not.toMatch(
        /switchyard_orders_shadow_reads_total\{[^}]*outcome="timeout"[^}]*\} [1-9]/,
      );
    } finally {
      slowShadow.simulators.vendor!.clearFaults();
      await slowShadow.stop();
    }
  });

  it('counts its shadow reads on the orders subgraph’s /metrics', async () => {
    stack.simulators.vendor!.setFaults({ hang: true });
    await stack.query(`{ orderHistory(pageSize: 10) { count } }`, { user: 'learner1' });
    const metrics = async () => (await fetch(`${stack.adminUrls.orders}/metrics`)).text();
    const deadline = Date.now() + 5000;
    let text = await metrics();
    while (!/outcome="timeout"/.test(text) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      text = await metrics();
    }
    expect(text).toMatch(/switchyard_orders_shadow_reads_total\{[^}]*outcome="timeout"[^}]*\} [1-9]/);
    // The shadow's own upstream clients, apart from the ones learners' requests use.
    expect(text).toContain('switchyard_upstream_breaker_state{upstream="vendor-auth-shadow"');
  });
});
