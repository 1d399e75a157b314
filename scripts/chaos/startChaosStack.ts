import { randomBytes } from 'node:crypto';
import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import type { Env } from '../../platform/config/parseEnv';
import { createDiscoverySimulator } from '../../simulators/discovery/createDiscoverySimulator';
import { createFaultProxy, type FaultProxy } from '../../simulators/faultProxy/createFaultProxy';
import type { Simulator } from '../../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed, type Seed } from '../../simulators/seed/createSeed';
import { createLocalStack, type LocalStack } from '../createLocalStack';
import { BreakerLog } from './BreakerLog';
import { createGraphQLClient, type GraphQLClient } from './GraphQLClient';

export interface ChaosStack {
  stack: LocalStack;
  seed: Seed;
  legacy: Simulator;
  discovery: Simulator;
  /** TCP fault proxy between the orders subgraph and the legacy simulator. */
  legacyProxy: FaultProxy;
  /** `JWT …` for learner1, valid for the whole run. */
  authorization: string;
  gateway: GraphQLClient;
  /** Every breaker transition in the stack, timed. */
  breakers: BreakerLog;
  stop(): Promise<void>;
}

/**
 * The real stack (gateway, both subgraphs) in this process, with the legacy simulator behind a fault
 * proxy so transport faults (hang, reset, refuse) sit where a real network would put them. `knobs`
 * are the per-upstream env variables under test (e.g. `LEGACY_ECOMMERCE_TIMEOUT_MS`).
 */
export async function startChaosStack(knobs: Env = {}): Promise<ChaosStack> {
  const seed = createSeed();
  const jwt = parseJwtEnv({});
  const breakers = new BreakerLog();
  const stoppers: (() => Promise<void>)[] = [];
  try {
    // Fifty clients as learner1: the real 75 requests a minute would answer the experiments with 429s.
    const legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
    stoppers.unshift(() => legacy.close());
    const discovery = await createDiscoverySimulator({ seed, jwt });
    stoppers.unshift(() => discovery.close());
    const legacyPort = Number(new URL(legacy.url).port);
    const legacyProxy = await createFaultProxy({ target: { host: '127.0.0.1', port: legacyPort } });
    stoppers.unshift(() => legacyProxy.close());
    const stack = await createLocalStack({
      env: {
        // Not the development default: a side gateway (startSideGateway) must be handed the stack's.
        SUBGRAPH_SHARED_SECRET: randomBytes(32).toString('hex'),
        // Fifty clients as learner1 would meet the gateway's per-user limit too.
        RATE_LIMIT_ENABLED: 'false',
        ...knobs,
        LEGACY_ECOMMERCE_URL: legacyProxy.url,
        DISCOVERY_URL: discovery.url,
      },
      ephemeralPorts: true,
      logger: (component) => breakers.logger(component),
      seed,
    });
    stoppers.unshift(() => stack.stop());
    const authorization = `JWT ${signToken('learner1', jwt, { expiresInSeconds: 24 * 3600 })}`;
    const gateway = createGraphQLClient(`${stack.gatewayUrl}/graphql`, authorization);
    stoppers.unshift(() => gateway.close());
    return {
      stack,
      seed,
      legacy,
      discovery,
      legacyProxy,
      authorization,
      gateway,
      breakers,
      stop: async () => {
        // Faults off first: a hung proxy would otherwise hold the subgraph's graceful close.
        legacyProxy.clearFaults();
        legacy.clearFaults();
        discovery.clearFaults();
        for (const stop of stoppers) await stop();
      },
    };
  } catch (error) {
    for (const stop of stoppers) await stop().catch(() => undefined);
    throw error;
  }
}
