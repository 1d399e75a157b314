import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePorts } from './freePorts';
import { VENDOR_DEV_PROJECT } from '../simulators/vendor/createVendorSimulator';

export type SubgraphClient = 'kit' | 'apollo-default';
export type ComponentName = 'simulators' | 'orders' | 'catalog' | 'gateway';

export interface Stack {
  gatewayUrl: string;
  /** The orders subgraph itself, for its `/metrics`. */
  ordersUrl: string;
  simulatorUrls: { 'legacy-ecommerce': string; discovery: string; 'vendor-commerce': string };
  pids: Record<ComponentName, number>;
  stop(): Promise<void>;
}

const DIST = join(__dirname, '..');
const TAIL_LINES = 40;

/**
 * The production entry points from dist/, one process each, wired by URL on free ports: what is
 * measured is what ships. A component that dies aborts the run with the tail of its output.
 * `ordersEnv` is added to the orders subgraph's environment only (e.g. the shadow settings).
 */
export async function startStack(
  client: SubgraphClient,
  env: NodeJS.ProcessEnv,
  ordersEnv: NodeJS.ProcessEnv = {},
): Promise<Stack> {
  const [legacyPort, discoveryPort, vendorPort, ordersPort, catalogPort, gatewayPort] = await freePorts(6);
  const url = (port: number | undefined) => `http://127.0.0.1:${port}`;
  // The vendor simulator and the orders subgraph must agree on the project and client; the dev ones
  // unless the environment names others (as npm start does).
  const vendorProject = {
    VENDOR_PROJECT_KEY: env.VENDOR_PROJECT_KEY ?? VENDOR_DEV_PROJECT.projectKey,
    VENDOR_CLIENT_ID: env.VENDOR_CLIENT_ID ?? VENDOR_DEV_PROJECT.clientId,
    VENDOR_CLIENT_SECRET: env.VENDOR_CLIENT_SECRET ?? VENDOR_DEV_PROJECT.clientSecret,
  };
  const base = { ...env, ...vendorProject, LOG_LEVEL: 'warn' };
  const children: Running[] = [];
  const stop = async () => void (await Promise.all(children.reverse().map((c) => c.stop())));
  try {
    const start = async (name: ComponentName, entry: string, vars: NodeJS.ProcessEnv, probe: string) => {
      const running = startProcess(name, join(DIST, entry), { ...base, ...vars });
      children.push(running);
      await running.waitFor(probe);
      return running.pid;
    };
    const simulators = await start(
      'simulators',
      'simulators/main.js',
      {
        LEGACY_SIMULATOR_PORT: String(legacyPort),
        DISCOVERY_SIMULATOR_PORT: String(discoveryPort),
        VENDOR_SIMULATOR_PORT: String(vendorPort),
      },
      // The vendor simulator starts last: once it answers, all three do.
      `${url(vendorPort)}/__sim/stats`,
    );
    const orders = await start(
      'orders',
      'subgraphs/orders/main.js',
      {
        ORDERS_SUBGRAPH_PORT: String(ordersPort),
        LEGACY_ECOMMERCE_URL: url(legacyPort),
        // Configured in every run, as in production during the migration; legacy mode reads it only
        // for vendor order numbers (none in the benchmark query) unless ordersEnv adds a layer.
        VENDOR_API_URL: url(vendorPort),
        VENDOR_AUTH_URL: url(vendorPort),
        ...ordersEnv,
      },
      `${url(ordersPort)}/healthz`,
    );
    const catalog = await start(
      'catalog',
      'subgraphs/catalog/main.js',
      { CATALOG_SUBGRAPH_PORT: String(catalogPort), DISCOVERY_URL: url(discoveryPort) },
      `${url(catalogPort)}/healthz`,
    );
    const gateway = await start(
      'gateway',
      'gateway/main.js',
      {
        GATEWAY_PORT: String(gatewayPort),
        ORDERS_SUBGRAPH_URL: `${url(ordersPort)}/graphql`,
        CATALOG_SUBGRAPH_URL: `${url(catalogPort)}/graphql`,
        GATEWAY_SUBGRAPH_CLIENT: client,
      },
      `${url(gatewayPort)}/healthz`,
    );
    return {
      gatewayUrl: url(gatewayPort),
      ordersUrl: url(ordersPort),
      simulatorUrls: {
        'legacy-ecommerce': url(legacyPort),
        discovery: url(discoveryPort),
        'vendor-commerce': url(vendorPort),
      },
      pids: { simulators, orders, catalog, gateway },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface Running {
  pid: number;
  waitFor(probeUrl: string): Promise<void>;
  stop(): Promise<void>;
}

/** Every child ever started, so runBench's exit handler can kill what a crash left behind. */
export const liveChildren = new Set<ChildProcess>();

function startProcess(name: string, file: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [file], {
    env,
    cwd: join(DIST, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  // Keep only a tail: at LOG_LEVEL=warn a failing run can still log a line per request.
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      if (!stopping) {
        process.stderr.write(`\n${name} exited unexpectedly (${signal ?? code}); last output:\n`);
        process.stderr.write(`${tail.join('\n')}\n`);
        unexpectedExit?.(new Error(`${name} exited unexpectedly`));
      }
      resolve();
    }),
  );
  return {
    pid: child.pid!,
    waitFor: async (probeUrl) => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} did not start`);
        const ok = await fetch(probeUrl).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${name} not healthy at ${probeUrl} after 20 s:\n${tail.join('\n')}`);
    },
    stop: async () => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // runMain drains for up to 5 s; do not wait on a wedged process longer than that.
      const timer = setTimeout(() => child.kill('SIGKILL'), 6000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let unexpectedExit: ((error: Error) => void) | undefined;

/** Where a component dying mid-run is reported (runBench aborts the run). */
export function onUnexpectedExit(handler: (error: Error) => void): void {
  unexpectedExit = handler;
}
