import { z } from 'zod';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { env, parseEnv } from '../platform/config/parseEnv';
import { createLogger } from '../platform/createLogger';
import { runMain } from '../platform/runMain';
import { LMS_SIMULATOR_DEV_PORT } from '../platform/auth/lmsDevClient';
import { createDiscoverySimulator, DISCOVERY_THROTTLE_RATE } from './discovery/createDiscoverySimulator';
import { throttleRateEnv } from './kit/UserRateThrottle';
import type { Simulator } from './kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  LEGACY_THROTTLE_RATE,
} from './legacy/createLegacyEcommerceSimulator';
import { createLmsOAuthSimulator, LMS_DEV_SERVICE_CLIENT } from './lms/createLmsOAuthSimulator';
import { createSeed, DEFAULT_LEARNERS, DEFAULT_SEED } from './seed/createSeed';
import { seedLmsAccounts } from './seed/lmsUserIdOf';
import { createVendorSimulator, VENDOR_DEV_PROJECT } from './vendor/createVendorSimulator';

// The simulators standalone in one process, so the subgraphs can run as their own processes against
// them (the benchmark, or anyone reproducing a production-shaped stack locally). Same seed as
// `npm start`; the vendor accepts the project and client the VENDOR_* variables name, the LMS's token
// endpoint the LMS_OAUTH2_CLIENT_* ones, else the dev ones.
runMain(async () => {
  const config = parseEnv(
    {
      LEGACY_SIMULATOR_PORT: env.port(4101),
      DISCOVERY_SIMULATOR_PORT: env.port(4102),
      VENDOR_SIMULATOR_PORT: env.port(4103),
      VENDOR_PROJECT_KEY: env.string(VENDOR_DEV_PROJECT.projectKey),
      VENDOR_CLIENT_ID: env.string(VENDOR_DEV_PROJECT.clientId),
      VENDOR_CLIENT_SECRET: env.string(VENDOR_DEV_PROJECT.clientSecret),
      LMS_SIMULATOR_PORT: env.port(LMS_SIMULATOR_DEV_PORT),
      LMS_OAUTH2_CLIENT_ID: env.string(LMS_DEV_SERVICE_CLIENT.clientId),
      LMS_OAUTH2_CLIENT_SECRET: env.string(LMS_DEV_SERVICE_CLIENT.clientSecret),
      // Discovery's 200/hour per non-staff user; raise it where learners call discovery directly under load.
      DISCOVERY_SIMULATOR_THROTTLE_RATE: throttleRateEnv(DISCOVERY_THROTTLE_RATE),
      // Legacy ecommerce's 75/minute per user; the benchmark raises it (a few learners, many requests).
      LEGACY_SIMULATOR_THROTTLE_RATE: throttleRateEnv(LEGACY_THROTTLE_RATE),
      // A fault knob set at start, for runs that cannot POST /__sim/faults first.
      SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0, 'must be >= 0').optional(),
      // learner51… beyond the default fifty, for load that must rotate over hundreds of learners.
      SIMULATOR_LEARNERS: z.coerce
        .number()
        .int()
        .min(DEFAULT_LEARNERS, `must be >= ${DEFAULT_LEARNERS}`)
        .default(DEFAULT_LEARNERS),
      LOG_LEVEL: env.logLevel(),
    },
    process.env,
  );
  const logger = createLogger('simulators', config.LOG_LEVEL);
  const jwt = parseJwtEnv(process.env);
  // Learner tokens the LMS simulator signs (RSA) reach the legacy API and discovery too (forwarded by
  // the orders subgraph): they verify them against its /auth/jwks.json, fetched when the first comes.
  const learnerJwt =
    jwt.jwks || config.LMS_SIMULATOR_PORT === 0
      ? jwt
      : { ...jwt, jwks: { url: `http://127.0.0.1:${config.LMS_SIMULATOR_PORT}/auth/jwks.json` } };
  const seed = createSeed(DEFAULT_SEED, { learners: config.SIMULATOR_LEARNERS });
  const started: Simulator[] = [];
  const stopAll = async () => void (await Promise.all(started.map((sim) => sim.close())));
  try {
    started.push(
      await createLegacyEcommerceSimulator({
        seed,
        jwt: learnerJwt,
        port: config.LEGACY_SIMULATOR_PORT,
        throttleRate: config.LEGACY_SIMULATOR_THROTTLE_RATE,
      }),
    );
    started.push(
      await createDiscoverySimulator({
        seed,
        jwt: learnerJwt,
        port: config.DISCOVERY_SIMULATOR_PORT,
        throttleRate: config.DISCOVERY_SIMULATOR_THROTTLE_RATE,
      }),
    );
    started.push(
      await createLmsOAuthSimulator({
        jwt,
        clients: [
          {
            ...LMS_DEV_SERVICE_CLIENT,
            clientId: config.LMS_OAUTH2_CLIENT_ID,
            clientSecret: config.LMS_OAUTH2_CLIENT_SECRET,
          },
        ],
        port: config.LMS_SIMULATOR_PORT,
        accounts: seedLmsAccounts(seed),
      }),
    );
    // The vendor last: once it answers, every simulator does (bench/startStack.ts waits on it).
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
  const [legacy, discovery, lms, vendor] = started as [Simulator, Simulator, Simulator, Simulator];
  if (config.SIMULATOR_LATENCY_MS !== undefined) {
    for (const sim of started) sim.setFaults({ latencyMs: config.SIMULATOR_LATENCY_MS });
  }
  logger.info(
    {
      legacy: legacy.url,
      discovery: discovery.url,
      vendor: vendor.url,
      lmsOAuth2: `${lms.url}/oauth2`,
      latencyMs: config.SIMULATOR_LATENCY_MS ?? 0,
    },
    'simulators listening',
  );
  return { stop: stopAll };
});
