import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// BullMQ, ioredis and the OTLP exporter are loaded only by a component configured to use them
// (REDIS_URL, an OTLP endpoint): about 18 MiB of resident memory each otherwise (bench/PROFILE.md,
// "Change 5"). Checked on the compiled entry modules, in a process of their own (jest keeps its own
// module registry), as production loads them.

const ROOT = join(__dirname, '..', '..');
const HEAVY = /node_modules\/(bullmq|ioredis|@opentelemetry\/exporter-trace-otlp-http)\//;

function heavyModulesLoadedBy(file: string): string[] {
  const script = `require(${JSON.stringify(join(ROOT, 'dist', file))});
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
  return loaded.filter((path) => HEAVY.test(path));
}

it.each([
  'gateway/createGateway.js',
  'subgraphs/orders/createOrdersSubgraph.js',
  'subgraphs/catalog/createCatalogSubgraph.js',
  'colocated/createColocatedGateway.js',
])('%s loads no Redis, queue or OTLP module until one is configured', (file) => {
  expect(heavyModulesLoadedBy(file)).toEqual([]);
});

it('still finds them when asked (the check is not blind)', () => {
  const script = `require('bullmq'); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const loaded = JSON.parse(
    execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT }),
  ) as string[];
  expect(loaded.filter((path) => HEAVY.test(path)).length).toBeGreaterThan(0);
});

it('gateway/createGateway.js loads graphql-inspector only when a supergraph is diffed (schema/checks/schemaChanges.ts)', () => {
  const script = `require(${JSON.stringify(join(ROOT, 'dist', 'gateway/createGateway.js'))});
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
  expect(loaded.filter((path) => path.includes('node_modules/@graphql-inspector/'))).toEqual([]);
});

it("colocated/main.js loads no gateway or subgraph at start: a cluster's primary runs none (issue 25)", () => {
  // What main.js requires when it loads (its top-level requires, as compiled); the gateway module is
  // required only on the path that runs one. Loading main.js itself would start the component.
  const main = readFileSync(join(ROOT, 'dist', 'colocated', 'main.js'), 'utf8');
  const topLevel = [...main.matchAll(/^const \w+ = (?:__importDefault\()?require\("([^"]+)"\)/gm)].map(
    (m) => m[1]!,
  );
  expect(topLevel).toContain('./colocatedConfig');
  expect(topLevel).not.toContain('./createColocatedGateway');
  const script = `for (const m of ${JSON.stringify(topLevel)})
      require(m.startsWith('.') ? require('node:path').join(${JSON.stringify(join(ROOT, 'dist', 'colocated'))}, m) : m);
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
  // graphql and jose too: parsing the configuration (JWT_JWKS) needs neither (platform/auth/isKeySet.ts).
  const heavy =
    /node_modules\/(@apollo\/(gateway|server|subgraph)|@opentelemetry\/sdk-trace-base|graphql|jose)\//;
  expect(loaded.filter((path) => heavy.test(path))).toEqual([]);
  expect(loaded.some((path) => path.endsWith('colocated/colocatedConfig.js'))).toBe(true);
  // The gateway path still finds it.
  expect(main).toMatch(/require\('\.\/createColocatedGateway'\)/);
});

it('a RefundQueue loads BullMQ when first used, not when made: most processes never enqueue a refund (issue 25)', () => {
  const script = `const { RefundQueue } = require(${JSON.stringify(join(ROOT, 'dist', 'subgraphs/orders/queue/RefundQueue.js'))});
    const bullmq = () => Object.keys(require.cache).some((p) => p.includes('node_modules/bullmq/'));
    const queue = new RefundQueue({ connection: { status: 'wait' } });
    const made = bullmq();
    queue.counts().catch(() => undefined); // refused: not connected; the queue itself is not needed yet
    const refused = bullmq();
    queue.close().then(() => process.stdout.write(JSON.stringify({ made, refused, closed: bullmq() })));`;
  expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual({
    made: false,
    refused: false,
    closed: false,
  });
});

it('the rollout flags load the flagd provider (and gRPC) only for a flag file or daemon, not from the environment (issue 25)', () => {
  // Most processes read their flags from the environment; the provider's module graph is ~3 MiB of
  // heap in each (bench/PROFILE.md, "Issue 25: worker memory").
  const script = `const { createRolloutFlags } = require(${JSON.stringify(join(ROOT, 'dist', 'subgraphs/orders/layers/rollout/flags/createRolloutFlags.js'))});
    const { Registry } = require('prom-client');
    const logger = require('pino')({ level: 'silent' });
    const flagd = () => Object.keys(require.cache).some((p) => /node_modules\\/(@openfeature\\/flagd-provider|@grpc\\/grpc-js)\\//.test(p));
    const histories = { legacy: { listOrders: async () => ({ count: 0, orders: [] }) }, vendor: null, merged: null };
    const make = (flags) => createRolloutFlags({ mode: 'legacy', rollout: null, shadow: null, flags }, histories, logger, { registry: new Registry() });
    const loaded = flagd();
    const env = make({ kind: 'env' });
    const fromEnv = flagd();
    const file = make({ kind: 'file', path: ${JSON.stringify(join(ROOT, 'deploy', 'flags', 'orders-flags.json'))} });
    const fromFile = flagd();
    Promise.all([env.ready(), file.ready()]).then(() => Promise.all([env.close(), file.close()])).then(() =>
      process.stdout.write(JSON.stringify({ loaded, fromEnv, fromFile })));`;
  expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT }))).toEqual(
    {
      loaded: false,
      fromEnv: false,
      fromFile: true,
    },
  );
});

describe("Apollo Gateway's own usage telemetry (issue 25)", () => {
  const DATA_COLLECTION =
    /node_modules\/@opentelemetry\/(sdk-metrics|exporter-metrics-otlp-http|resource-detector-[a-z-]+)\//;

  it('gateway/createGateway.js keeps its modules out until they are used (~660 modules, ~27 MiB per process)', () => {
    const script = `require(${JSON.stringify(join(ROOT, 'dist', 'gateway/createGateway.js'))});
      require('@apollo/gateway');
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT }),
    ) as string[];
    // Each package's entry is in the module cache as a stand-in; nothing under it is loaded.
    const real = loaded.filter((path) => DATA_COLLECTION.test(path) && !path.endsWith('/build/src/index.js'));
    expect(real).toEqual([]);
    expect(loaded.filter((path) => DATA_COLLECTION.test(path))).toHaveLength(6);
    expect(loaded.some((path) => path.includes('@apollo/gateway/dist/utilities/opentelemetry.js'))).toBe(
      true,
    );
  });

  it('loads a module for real on its first use, as Apollo uses it', () => {
    const script = `require(${JSON.stringify(join(ROOT, 'dist', 'gateway/createGateway.js'))});
      const from = { paths: [require('node:path').dirname(require.resolve('@apollo/gateway/package.json'))] };
      const metrics = require(require.resolve('@opentelemetry/sdk-metrics', from));
      const files = () => Object.keys(require.cache).filter((p) => p.includes('/@opentelemetry/sdk-metrics/')).length;
      const before = files() > 1;
      const provider = new metrics.MeterProvider({ readers: [] });
      const after = files() > 1;
      const aws = require(require.resolve('@opentelemetry/resource-detector-aws', from));
      provider.shutdown().then(() => process.stdout.write(JSON.stringify({
        before, after, meter: typeof provider.getMeter('x').createCounter, detector: typeof aws.awsEc2Detector.detect,
        again: require(require.resolve('@opentelemetry/sdk-metrics', from)).MeterProvider === metrics.MeterProvider,
      })));`;
    expect(
      JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT })),
    ).toEqual({
      before: false,
      after: true,
      meter: 'function',
      detector: 'function',
      again: true,
    });
  });

  it('is off unless the operator set APOLLO_TELEMETRY_DISABLED', () => {
    const script = `const { apolloTelemetryOffByDefault } = require(${JSON.stringify(join(ROOT, 'dist', 'gateway/apolloTelemetry.js'))});
      const unset = {}; apolloTelemetryOffByDefault(unset);
      const kept = { APOLLO_TELEMETRY_DISABLED: 'false' }; apolloTelemetryOffByDefault(kept);
      process.stdout.write(JSON.stringify([unset.APOLLO_TELEMETRY_DISABLED, kept.APOLLO_TELEMETRY_DISABLED]));`;
    expect(
      JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT })),
    ).toEqual(['true', 'false']);
  });
});
