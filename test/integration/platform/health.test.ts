import { getJson, startTestStack, type TestStack } from '../../helpers/startTestStack';

// Liveness, readiness, /status and /metrics on every component, and what they say when a backend's
// breaker is open: still ready (everything else is served), but degraded, naming the upstream.
// `/metrics` and `/status` are on each component's admin port only; the probes are on both.
const HISTORY = `{ orderHistory(pageSize: 2) { count } }`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    LEGACY_ECOMMERCE_RETRIES: '0',
    LEGACY_ECOMMERCE_BREAKER_VOLUME_THRESHOLD: '3',
    LEGACY_ECOMMERCE_BREAKER_RESET_MS: '600000',
  });
});
afterAll(() => stack.stop());

const components = () => ({ gateway: stack.gatewayUrl, orders: stack.ordersUrl, catalog: stack.catalogUrl });

it('answers /healthz and /readyz on both ports, /metrics and /status on the admin port only', async () => {
  for (const [name, url] of Object.entries(components())) {
    const admin = stack.adminUrls[name as keyof TestStack['adminUrls']];
    expect(admin).not.toBe(url);
    for (const path of ['/metrics', '/status']) {
      expect({ name, path, status: (await fetch(`${url}${path}`)).status }).toEqual({
        name,
        path,
        status: 404,
      });
      expect({ name, path, status: (await fetch(`${admin}${path}`)).status }).toEqual({
        name,
        path,
        status: 200,
      });
    }
    expect((await getJson(`${admin}/healthz`)).status).toBe(200);
    expect((await getJson(`${admin}/readyz`)).body).toMatchObject({ status: 'ready' });
    expect({ name, ...(await getJson(`${url}/healthz`)) }).toEqual({
      name,
      status: 200,
      body: { status: 'ok' },
    });
    const ready = await getJson(`${url}/readyz`);
    expect({ name, status: ready.status, body: ready.body }).toMatchObject({
      name,
      status: 200,
      body: { status: 'ready', degraded: false },
    });
    const metrics = await fetch(`${admin}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toContain('switchyard_upstream_breaker_state');
  }
});

it('stays ready with the legacy breaker open, reporting it as degraded in /readyz and /status', async () => {
  stack.simulators.legacy!.setFaults({ errorRate: 1 });
  try {
    for (let i = 0; i < 5; i++) await stack.query(HISTORY, { user: 'learner1' });
    const open = await stack.query(HISTORY, { user: 'learner1' });
    expect(open.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'legacy-ecommerce',
    });

    const ready = await getJson(`${stack.ordersUrl}/readyz`);
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ready', degraded: true, breakers: { 'legacy-ecommerce': 'open' } },
    });
    const status = await getJson(`${stack.adminUrls.orders}/status`);
    expect(status.body).toMatchObject({ component: 'orders-subgraph', degraded: true });
    expect(status.body.upstreams.find((u: { name: string }) => u.name === 'legacy-ecommerce')).toMatchObject({
      breaker: 'open',
      inFlight: 0,
      queued: 0,
      lastError: { code: 'UPSTREAM_ERROR' },
    });
    // The gateway's own upstreams (the subgraphs) are healthy: it answered, with a coded error.
    expect((await getJson(`${stack.gatewayUrl}/readyz`)).body).toMatchObject({
      status: 'ready',
      degraded: false,
    });
    const metrics = await (await fetch(`${stack.adminUrls.orders}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_upstream_breaker_state\{[^}]*upstream="legacy-ecommerce"[^}]*\} 2/);
  } finally {
    stack.simulators.legacy!.clearFaults();
  }
});
