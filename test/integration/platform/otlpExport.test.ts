import { randomBytes } from 'node:crypto';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { createDiscoverySimulator } from '../../../simulators/discovery/createDiscoverySimulator';
import { createLegacyEcommerceSimulator } from '../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createLmsOAuthSimulator } from '../../../simulators/lms/createLmsOAuthSimulator';
import type { Simulator } from '../../../simulators/kit/createSimulator';
import { createSeed } from '../../../simulators/seed/createSeed';
import { spawnComponent, type Component } from '../../helpers/spawnComponent';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/startOtlpReceiver';

// OTLP/HTTP export as deployed: three real processes configured by environment only, sending to a
// tiny OTLP receiver, stopped by SIGTERM. (Inside jest's sandbox the exporter cannot run at all: it
// loads node:http with a dynamic import(), which jest refuses without --experimental-vm-modules.)
const HISTORY = `query History { orderHistory(pageSize: 5) { count orders { number lines { courseRun { key title } } } } }`;
const SERVER = 2;
const CLIENT = 3;
const jwt = parseJwtEnv({});
const seed = createSeed();

let receiver: OtlpReceiver;
let simulators: Simulator[] = [];
let components: Component[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const legacy = await createLegacyEcommerceSimulator({ seed, jwt });
  const discovery = await createDiscoverySimulator({ seed, jwt });
  // The subgraphs' service identity (catalog calls discovery as the service user).
  const lms = await createLmsOAuthSimulator({ jwt });
  simulators = [legacy, discovery, lms];
  const exporting = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, LMS_OAUTH2_URL: lms.url };
  const orders = spawnComponent('subgraphs/orders/main.js', {
    ...exporting,
    LEGACY_ECOMMERCE_URL: legacy.url,
    ORDERS_SUBGRAPH_PORT: '0',
  });
  const catalog = spawnComponent('subgraphs/catalog/main.js', {
    ...exporting,
    DISCOVERY_URL: discovery.url,
    CATALOG_SUBGRAPH_PORT: '0',
  });
  components = [orders, catalog];
  const [ordersUrl, catalogUrl] = await Promise.all([
    orders.waitFor('orders subgraph listening').then((l) => String(l.url)),
    catalog.waitFor('catalog subgraph listening').then((l) => String(l.url)),
  ]);
  components.push(
    spawnComponent('gateway/main.js', {
      // The traces-only variable, used as given: the other form of the same setting.
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      GATEWAY_PORT: '0',
      ORDERS_SUBGRAPH_URL: ordersUrl,
      CATALOG_SUBGRAPH_URL: catalogUrl,
    }),
  );
});
afterAll(async () => {
  await Promise.all(components.map((c) => c.kill('SIGKILL')));
  await Promise.all(simulators.map((s) => s.close()));
  await receiver.close();
});

it('exports every component’s spans over OTLP/HTTP, one trace, flushed when SIGTERM stops them', async () => {
  const gateway = components[2]!;
  const url = String((await gateway.waitFor('gateway listening')).url);
  const traceId = randomBytes(16).toString('hex');
  const callerSpan = randomBytes(8).toString('hex');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${signToken('learner1', jwt)}`,
      traceparent: `00-${traceId}-${callerSpan}-01`,
    },
    body: JSON.stringify({ query: HISTORY }),
  });
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  // Batched spans leave on stop: runMain's shutdown stops each component, whose stop() flushes.
  for (const component of components) component.process.kill('SIGTERM');
  expect(await Promise.all(components.map((c) => c.exited))).toEqual([0, 0, 0]);

  expect(new Set(receiver.paths)).toEqual(new Set(['/v1/traces']));
  const trace = receiver.spans.filter((s) => s.traceId === traceId);
  const one = (service: string, kind: number, upstream?: string) => {
    const found = trace.filter(
      (s) =>
        s.service === service &&
        s.kind === kind &&
        (upstream === undefined || s.attributes['switchyard.upstream'] === upstream),
    );
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const server = one('switchyard-gateway', SERVER);
  expect(server).toMatchObject({ name: 'query History', parentSpanId: callerSpan });
  const toOrders = one('switchyard-gateway', CLIENT, 'orders');
  const orders = one('switchyard-orders', SERVER);
  const toLegacy = one('switchyard-orders', CLIENT, 'legacy-ecommerce');
  const toCatalog = one('switchyard-gateway', CLIENT, 'catalog');
  const catalog = one('switchyard-catalog', SERVER);
  const toDiscovery = one('switchyard-catalog', CLIENT, 'discovery');
  expect(toOrders.parentSpanId).toBe(server.spanId);
  expect(orders.parentSpanId).toBe(toOrders.spanId);
  expect(toLegacy.parentSpanId).toBe(orders.spanId);
  expect(toCatalog.parentSpanId).toBe(server.spanId);
  expect(catalog.parentSpanId).toBe(toCatalog.spanId);
  expect(toDiscovery.parentSpanId).toBe(catalog.spanId);
  expect(toLegacy.attributes).toMatchObject({
    'http.response.status_code': 200,
    'url.template': '/api/v2/orders/',
    'switchyard.upstream.outcome': 'success',
  });
});
