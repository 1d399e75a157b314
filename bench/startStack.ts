import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './freePorts';
import { startProcess, type Running } from './startProcess';
import { LOAD_TEST_THROTTLE_RATE } from '../simulators/legacy/createLegacyEcommerceSimulator';
import { VENDOR_DEV_PROJECT, vendorReceiptBaseUrl } from '../simulators/vendor/createVendorSimulator';

/**
 * `kit` and `apollo-default`: our gateway and subgraphs, with the kit or the stock data source at the
 * gateway. `plain`: the plain Apollo stack of bench/plain/ (stock gateway and subgraphs, no guards).
 * `colocated`: ours as one process (colocated/main.js), both subgraphs executed in the gateway's;
 * `colocated-workers`: the same with COLOCATED_WORKERS at the machine's core count (node:cluster).
 * `plain-colocated`: the plain stack in that shape (bench/plain/plainColocatedMain.ts): the stock
 * gateway executing the plain subgraphs in process, one process per core behind one port.
 * `hive`: Hive Gateway's runtime (bench/plain/hiveGatewayMain.ts) over the `plain` stack's subgraphs.
 */
export type SubgraphClient =
  'kit' | 'apollo-default' | 'plain' | 'plain-colocated' | 'colocated' | 'colocated-workers' | 'hive';
export type ComponentName = 'simulators' | 'orders' | 'catalog' | 'gateway';

export interface Stack {
  gatewayUrl: string;
  /** The orders subgraph's admin port (co-located: the gateway's), for its `/metrics`; none for plain. */
  ordersAdminUrl?: string;
  /** The gateway's admin port, for its `/metrics`; none for the plain stacks and apollo-default. */
  gatewayAdminUrl?: string;
  simulatorUrls: { 'legacy-ecommerce': string; discovery: string; 'vendor-commerce': string };
  /** Each running process; a co-located stack has no `orders` or `catalog` of its own. */
  pids: Partial<Record<ComponentName, number>>;
  /** Date.now() when each process was spawned: places a window inside its CPU profile. */
  spawnedAt: Partial<Record<ComponentName, number>>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Added to the orders subgraph's environment only (e.g. the shadow settings). */
  ordersEnv?: NodeJS.ProcessEnv;
  /** Learners the simulators seed (SIMULATOR_LEARNERS). @default the simulators' own default */
  learners?: number;
  /** When set, every process runs with `--cpu-prof` and writes `<label>-<component>.cpuprofile` here. */
  profile?: { dir: string; label: string };
  /**
   * NODE_OPTIONS of the stack's own processes (gateway, subgraphs; not the simulators, which run with
   * Node's defaults). '' runs them with Node's defaults too. @default '' */
  nodeOptions?: string;
  /** Added to the gateway's environment only (e.g. FIELD_USAGE_METRICS). */
  gatewayEnv?: NodeJS.ProcessEnv;
}

/** bench/plain/'s entry points; they answer only GraphQL (no /healthz). */
const PLAIN_ENTRIES = {
  orders: 'bench/plain/plainOrdersMain.js',
  catalog: 'bench/plain/plainCatalogMain.js',
  gateway: 'bench/plain/plainGatewayMain.js',
  colocated: 'bench/plain/plainColocatedMain.js',
  hive: 'bench/plain/hiveGatewayMain.js',
} as const;

/** Each stack's gateway process (a co-located stack's only one). */
const GATEWAY_ENTRIES: Record<SubgraphClient, string> = {
  kit: 'gateway/main.js',
  // Our gateway and subgraphs; the baseline's entry only swaps in the stock data source.
  'apollo-default': 'bench/baseline/main.js',
  plain: PLAIN_ENTRIES.gateway,
  'plain-colocated': PLAIN_ENTRIES.colocated,
  colocated: 'colocated/main.js',
  'colocated-workers': 'colocated/main.js',
  hive: PLAIN_ENTRIES.hive,
};

const DIST = join(__dirname, '..');

/**
 * The production entry points from dist/, one process each, wired by URL on free ports: what is
 * measured is what ships. A component that dies aborts the run with the tail of its output.
 * `ordersEnv` is added to the orders subgraph's environment only (e.g. the shadow settings).
 */
export async function startStack(
  client: SubgraphClient,
  env: NodeJS.ProcessEnv,
  options: StackOptions = {},
): Promise<Stack> {
  const ordersEnv = options.ordersEnv ?? {};
  // The plain subgraphs behind either stock gateway: Apollo's (`plain`) or Hive's (`hive`).
  const plain = client === 'plain' || client === 'plain-colocated' || client === 'hive';
  // One process serving the gateway with both subgraphs in it (a primary and workers for some).
  const colocated = client === 'colocated' || client === 'colocated-workers' || client === 'plain-colocated';
  // One worker per core, as a single host would run it; the primary only supervises.
  // Several workers share their state through Redis: without REDIS_URL they refuse to start.
  const workers =
    client === 'colocated-workers'
      ? {
          COLOCATED_WORKERS: String(availableParallelism()),
          REDIS_URL: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        }
      : {};
  const [
    legacyPort,
    discoveryPort,
    vendorPort,
    ordersPort,
    catalogPort,
    gatewayPort,
    lmsPort,
    ordersAdminPort,
    catalogAdminPort,
    gatewayAdminPort,
  ] = await freePorts(10);
  const url = (port: number | undefined) => `http://127.0.0.1:${port}`;
  // The vendor simulator and the orders subgraph must agree on the project and client; the dev ones
  // unless the environment names others (as npm start does).
  const vendorProject = {
    VENDOR_PROJECT_KEY: env.VENDOR_PROJECT_KEY ?? VENDOR_DEV_PROJECT.projectKey,
    VENDOR_CLIENT_ID: env.VENDOR_CLIENT_ID ?? VENDOR_DEV_PROJECT.clientId,
    VENDOR_CLIENT_SECRET: env.VENDOR_CLIENT_SECRET ?? VENDOR_DEV_PROJECT.clientSecret,
  };
  // One secret for the gateway and both subgraphs, as deployed; both subgraph clients must send it.
  const subgraphSecret = {
    SUBGRAPH_SHARED_SECRET: env.SUBGRAPH_SHARED_SECRET ?? randomBytes(32).toString('hex'),
  };
  // The LMS's token endpoint (in the simulators' process) for every component's service identity; its
  // dev client unless LMS_OAUTH2_CLIENT_* name another. No discovery throttle knob: the service user
  // is staff, hence exempt, and a catalog that called discovery as a learner again should hit 200/hour.
  const lms = { LMS_OAUTH2_URL: `${url(lmsPort)}/oauth2` };
  const base = { ...env, ...vendorProject, ...subgraphSecret, ...lms, LOG_LEVEL: 'warn' };
  const children: Running[] = [];
  const spawnedAt: Partial<Record<ComponentName, number>> = {};
  const stop = async () => void (await Promise.all(children.reverse().map((c) => c.stop())));
  try {
    const start = async (name: ComponentName, entry: string, vars: NodeJS.ProcessEnv, probe: string) => {
      const profile = options.profile
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${options.profile.dir}`,
            `--cpu-prof-name=${options.profile.label}-${name}.cpuprofile`,
          ]
        : [];
      spawnedAt[name] = Date.now();
      // Every stack's processes run with the same flags (issue 25: no stack wins by its V8 flags);
      // the stand-ins for the upstreams with Node's defaults, whatever the caller's NODE_OPTIONS.
      const nodeOptions = { NODE_OPTIONS: name === 'simulators' ? '' : (options.nodeOptions ?? '') };
      const running = startProcess(name, join(DIST, entry), { ...base, ...vars, ...nodeOptions }, profile);
      children.push(running);
      // The plain servers have no health route: any HTTP answer means listening, and they listen
      // only once ready (the gateway after composing).
      await running.waitFor(probe, plain && name !== 'simulators');
      return running.pid;
    };
    // Plain processes are asked for `{__typename}` with the header Apollo's CSRF guard wants on a GET.
    const probe = (port: number | undefined, health: string) =>
      plain ? `${url(port)}/graphql?query=%7B__typename%7D` : `${url(port)}${health}`;
    const simulators = await start(
      'simulators',
      'simulators/main.js',
      {
        LEGACY_SIMULATOR_PORT: String(legacyPort),
        DISCOVERY_SIMULATOR_PORT: String(discoveryPort),
        VENDOR_SIMULATOR_PORT: String(vendorPort),
        LMS_SIMULATOR_PORT: String(lmsPort),
        // Legacy's 75 requests a minute per learner would refuse most of a load test's requests.
        LEGACY_SIMULATOR_THROTTLE_RATE: env.LEGACY_SIMULATOR_THROTTLE_RATE ?? LOAD_TEST_THROTTLE_RATE,
        ...(options.learners === undefined ? {} : { SIMULATOR_LEARNERS: String(options.learners) }),
      },
      // The vendor simulator starts last: once it answers, all of them do.
      `${url(vendorPort)}/__sim/stats`,
    );
    const ordersVars = {
      LEGACY_ECOMMERCE_URL: url(legacyPort),
      // Configured in every run, as in production during the migration; legacy mode reads it only
      // for vendor order numbers (none in the benchmark query) unless ordersEnv adds a layer.
      VENDOR_API_URL: url(vendorPort),
      VENDOR_AUTH_URL: url(vendorPort),
      VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(url(vendorPort)),
      ...ordersEnv,
    };
    const catalogVars = { DISCOVERY_URL: url(discoveryPort) };
    const pids: Stack['pids'] = { simulators };
    if (!colocated) {
      pids.orders = await start(
        'orders',
        plain ? PLAIN_ENTRIES.orders : 'subgraphs/orders/main.js',
        {
          ORDERS_SUBGRAPH_PORT: String(ordersPort),
          // Each component's admin port (/metrics, /status) is its own: stacks run side by side.
          ADMIN_PORT: String(ordersAdminPort),
          ADMIN_HOST: '127.0.0.1',
          ...ordersVars,
        },
        probe(ordersPort, '/healthz'),
      );
      pids.catalog = await start(
        'catalog',
        plain ? PLAIN_ENTRIES.catalog : 'subgraphs/catalog/main.js',
        {
          CATALOG_SUBGRAPH_PORT: String(catalogPort),
          ADMIN_PORT: String(catalogAdminPort),
          ADMIN_HOST: '127.0.0.1',
          ...catalogVars,
        },
        probe(catalogPort, '/healthz'),
      );
    }
    pids.gateway = await start(
      'gateway',
      GATEWAY_ENTRIES[client],
      {
        GATEWAY_PORT: String(gatewayPort),
        ADMIN_PORT: String(gatewayAdminPort),
        ADMIN_HOST: '127.0.0.1',
        // A few learners at thousands of requests a minute: the per-user limit would refuse most.
        RATE_LIMIT_ENABLED: env.RATE_LIMIT_ENABLED ?? 'false',
        ...(colocated
          ? { ...ordersVars, ...catalogVars, ...workers }
          : {
              ORDERS_SUBGRAPH_URL: `${url(ordersPort)}/graphql`,
              CATALOG_SUBGRAPH_URL: `${url(catalogPort)}/graphql`,
            }),
        ...options.gatewayEnv,
      },
      probe(gatewayPort, '/healthz'),
    );
    return {
      gatewayUrl: url(gatewayPort),
      // Co-located, the gateway's admin port serves the orders subgraph's metrics too. The plain
      // stacks have no admin port.
      ...(plain
        ? {}
        : {
            ordersAdminUrl: url(colocated ? gatewayAdminPort : ordersAdminPort),
            // The baseline's entry (bench/baseline/main.ts) serves no admin port.
            ...(client === 'apollo-default' ? {} : { gatewayAdminUrl: url(gatewayAdminPort) }),
          }),
      simulatorUrls: {
        'legacy-ecommerce': url(legacyPort),
        discovery: url(discoveryPort),
        'vendor-commerce': url(vendorPort),
      },
      pids,
      spawnedAt,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
