import { ORDER_HISTORY_QUERY } from '../../../bench/orderHistoryQuery';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { spawnComponent, type Component } from '../../helpers/spawnComponent';
import { startTestStack, upstreamVarsOf, type TestStack } from '../../helpers/startTestStack';

// The co-located gateway's production entry point (dist/colocated/main.js): one process, one
// port, configured from the union of the three components' variables, and refusing to start on a bad
// one with the variable named.

const jwt = parseJwtEnv({});
let simulators: TestStack;
beforeAll(async () => {
  // Only its simulators are used: the process under test is the co-located gateway itself.
  simulators = await startTestStack();
});
afterAll(() => simulators?.stop());

const upstreams = () => upstreamVarsOf(simulators);

describe('a running co-located gateway', () => {
  let gateway: Component;
  let url: string;
  beforeAll(async () => {
    gateway = spawnComponent('colocated/main.js', { ...upstreams(), GATEWAY_PORT: '0' });
    const listening = await gateway.waitFor('co-located gateway listening');
    url = String(listening.url);
    expect(listening.admin).toEqual(expect.any(String));
  });
  afterAll(() => gateway?.kill('SIGKILL'));

  it("answers the MFE's page from one process", async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${signToken('learner1', jwt)}` },
      body: JSON.stringify({ query: ORDER_HISTORY_QUERY, variables: { page: 1 } }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    // Both subgraphs answered: orders from legacy, course-run titles from discovery.
    const titles = body.data.orderHistory.orders.flatMap((o: any) =>
      o.lines.map((l: any) => l.courseRun?.title),
    );
    expect(titles.filter((t: unknown) => typeof t === 'string').length).toBeGreaterThan(0);
  });

  it('stops cleanly on SIGTERM', async () => {
    await gateway.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });
});

it("refuses to start without an orders backend's URL, naming the variable", async () => {
  const { LEGACY_ECOMMERCE_URL: _omitted, ...rest } = upstreams();
  const gateway = spawnComponent('colocated/main.js', { ...rest, GATEWAY_PORT: '0' });
  expect(await gateway.exited).toBe(1);
  expect(gateway.stderr()).toContain('LEGACY_ECOMMERCE_URL');
});

it('refuses a bad gateway setting the same way', async () => {
  const gateway = spawnComponent('colocated/main.js', { ...upstreams(), GATEWAY_MAX_COST: 'lots' });
  expect(await gateway.exited).toBe(1);
  expect(gateway.stderr()).toContain('GATEWAY_MAX_COST');
});

// Workers without a shared Redis would each keep their own idempotency records and rate-limit
// windows: one Idempotency-Key executed once per worker, one learner admitted a full limit per worker.
it('refuses COLOCATED_WORKERS above 1 without REDIS_URL, naming both, before forking a worker', async () => {
  const gateway = spawnComponent('colocated/main.js', {
    ...upstreams(),
    GATEWAY_PORT: '0',
    COLOCATED_WORKERS: '2',
  });
  expect(await gateway.exited).toBe(1);
  expect(gateway.stderr()).toMatch(/COLOCATED_WORKERS=2 needs REDIS_URL/);
  expect(gateway.logs.some((line) => /primary started|listening/.test(String(line.msg)))).toBe(false);
});
