import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { createDiscoverySimulator } from '../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../simulators/kit/createSimulator';
import { LOAD_TEST_THROTTLE_RATE } from '../../simulators/legacy/createLegacyEcommerceSimulator';
import type { LmsOAuthSimulator } from '../../simulators/lms/createLmsOAuthSimulator';
import type { Seed } from '../../simulators/seed/createSeed';
import { parseRefundsConfig } from '../../subgraphs/orders/config/refundsConfig';
import { createRefundEligibility } from '../../subgraphs/orders/eligibility/createRefundEligibility';
import type { RefundEligibility } from '../../subgraphs/orders/eligibility/RefundEligibility';
import { createServiceTokens } from '../../subgraphs/serviceIdentity/createServiceTokens';
import {
  parseLmsApiConfig,
  parseServiceIdentityConfig,
} from '../../subgraphs/serviceIdentity/serviceIdentityConfig';

export interface RefundRule {
  eligibility: RefundEligibility;
  discovery: Simulator;
  /** DISCOVERY_URL and LMS_API_URL, for a component configured from the environment. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The refund rule of production (createRefundEligibility) on real upstreams: a discovery simulator on
 * `seed` and the given LMS simulator (certificates, service tokens). `windowDays` defaults to 100
 * years, for tests of something else that refund the seed's years-old orders.
 */
export async function startRefundRule(
  seed: Seed,
  jwt: JwtOptions,
  lms: LmsOAuthSimulator,
  windowDays = 36_500,
): Promise<RefundRule> {
  const discovery = await createDiscoverySimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  const env = { DISCOVERY_URL: discovery.url, LMS_API_URL: lms.url };
  const identity = parseServiceIdentityConfig({ LMS_OAUTH2_URL: lms.url });
  const tokens = createServiceTokens(identity);
  const source = { ...env, REFUND_WINDOW_DAYS: String(windowDays) };
  const config = parseRefundsConfig(source, parseLmsApiConfig(source, identity));
  const rule = createRefundEligibility(config, tokens);
  return {
    eligibility: rule.eligibility,
    discovery,
    env,
    close: async () => {
      await Promise.all([...rule.upstreams, ...tokens.upstreams].map((u) => u.close()));
      await discovery.close();
    },
  };
}
