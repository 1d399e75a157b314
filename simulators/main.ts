import { z } from 'zod';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { env, parseEnv } from '../platform/config/parseEnv';
import { createLogger } from '../platform/createLogger';
import { runMain } from '../platform/runMain';
import { createDiscoverySimulator } from './discovery/createDiscoverySimulator';
import type { Simulator } from './kit/createSimulator';
import { createLegacyEcommerceSimulator } from './legacy/createLegacyEcommerceSimulator';
import { createSeed } from './seed/createSeed';
import { createVendorSimulator, VENDOR_DEV_PROJECT } from './vendor/createVendorSimulator';

// The three simulators standalone in one process, so the subgraphs can run as their own processes
// against them (the benchmark, or anyone reproducing a production-shaped stack locally). Same seed as
// `npm start`; the vendor accepts the project and client the VENDOR_* variables name, else the dev ones.
runMain(async () => {
  const config = parseEnv(
    {
      LEGACY_SIMULATOR_PORT: env.port(4101),
      DISCOVERY_SIMULATOR_PORT: env.port(4102),
      VENDOR_SIMULATOR_PORT: env.port(4103),
      VENDOR_PROJECT_KEY: env.string(VENDOR_DEV_PROJECT.projectKey),
      VENDOR_CLIENT_ID: env.string(VENDOR_DEV_PROJECT.clientId),
      VENDOR_CLIENT_SECRET: env.string(VENDOR_DEV_PROJECT.clientSecret),
      // A fault knob set at start, for runs that cannot POST /__sim/faults first.
      SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0, 'must be >= 0').optional(),
      LOG_LEVEL: env.logLevel(),
    },
    process.env,
  );
  const logger = createLogger('simulators', config.LOG_LEVEL);
  const jwt = parseJwtEnv(process.env);
  const seed = createSeed();
  const started: Simulator[] = [];
  const stopAll = async () => void (await Promise.all(started.map((sim) => sim.close())));
  try {
    started.push(await createLegacyEcommerceSimulator({ seed, jwt, port: config.LEGACY_SIMULATOR_PORT }));
    started.push(await createDiscoverySimulator({ seed, jwt, port: config.DISCOVERY_SIMULATOR_PORT }));
    started.push(
      await createVendorSimulator({
        orders: seed.vendorOrders ?? [],
        projectKey: config.VENDOR_PROJECT_KEY,
        clientId: config.VENDOR_CLIENT_ID,
        clientSecret: config.VENDOR_CLIENT_SECRET,
        port: config.VENDOR_SIMULATOR_PORT,
      }),
    );
  } catch (error) {
    // Do not leave the first ones listening when a later port is taken.
    await stopAll();
    throw error;
  }
  const [legacy, discovery, vendor] = started as [Simulator, Simulator, Simulator];
  if (config.SIMULATOR_LATENCY_MS !== undefined) {
    for (const sim of started) sim.setFaults({ latencyMs: config.SIMULATOR_LATENCY_MS });
  }
  logger.info(
    {
      legacy: legacy.url,
      discovery: discovery.url,
      vendor: vendor.url,
      latencyMs: config.SIMULATOR_LATENCY_MS ?? 0,
    },
    'simulators listening',
  );
  return { stop: stopAll };
});
