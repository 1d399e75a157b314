import { z } from 'zod';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { env, parseEnv } from '../platform/config/parseEnv';
import { createLogger } from '../platform/createLogger';
import { runMain } from '../platform/runMain';
import { createDiscoverySimulator } from './discovery/createDiscoverySimulator';
import { createLegacyEcommerceSimulator } from './legacy/createLegacyEcommerceSimulator';
import { createSeed } from './seed/createSeed';

// Both simulators standalone in one process, so the subgraphs can run as their own processes against
// them (the benchmark, or anyone reproducing a production-shaped stack locally). Same seed as `npm start`.
runMain(async () => {
  const config = parseEnv(
    {
      LEGACY_SIMULATOR_PORT: env.port(4101),
      DISCOVERY_SIMULATOR_PORT: env.port(4102),
      // A fault knob set at start, for runs that cannot POST /__sim/faults first.
      SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0, 'must be >= 0').optional(),
      LOG_LEVEL: env.logLevel(),
    },
    process.env,
  );
  const logger = createLogger('simulators', config.LOG_LEVEL);
  const jwt = parseJwtEnv(process.env);
  const seed = createSeed();
  const legacy = await createLegacyEcommerceSimulator({ seed, jwt, port: config.LEGACY_SIMULATOR_PORT });
  const discovery = await createDiscoverySimulator({
    seed,
    jwt,
    port: config.DISCOVERY_SIMULATOR_PORT,
  }).catch(async (error: unknown) => {
    // Do not leave the first one listening when the second port is taken.
    await legacy.close();
    throw error;
  });
  if (config.SIMULATOR_LATENCY_MS !== undefined) {
    for (const sim of [legacy, discovery]) sim.setFaults({ latencyMs: config.SIMULATOR_LATENCY_MS });
  }
  logger.info(
    { legacy: legacy.url, discovery: discovery.url, latencyMs: config.SIMULATOR_LATENCY_MS ?? 0 },
    'simulators listening',
  );
  return { stop: async () => void (await Promise.all([legacy.close(), discovery.close()])) };
});
