import { silentLogger } from '../../platform/createLogger';
import { VENDOR_DEV_PROJECT } from '../../simulators/vendor/createVendorSimulator';
import { lmsUserIdOf } from '../../simulators/seed/lmsUserIdOf';
import {
  VendorOrdersBackend,
  type LearnerIds,
} from '../../subgraphs/orders/backends/vendor/VendorOrdersBackend';
import { VendorTokenProvider } from '../../subgraphs/orders/backends/vendor/VendorTokenProvider';
import { createUpstream } from '../../upstream/createUpstream';
import type { Upstream } from '../../upstream/Upstream';
import { parseUpstreamEnv } from '../../upstream/upstreamEnv';

// Room for 50 calls at once: the tests using this are about tokens and visibility, not the bulkhead.
const ROOMY = { VENDOR_BULKHEAD_MAX_CONCURRENT: '100', VENDOR_MAX_CONNECTIONS: '100' };

export interface VendorAdapterOptions {
  /** The simulator's clock, so token expiry can be stepped. @default Date.now */
  now?: () => number;
  clientSecret?: string;
  /**
   * The LMS's answer for a username a staff member reads. @default the simulators' own ids
   * (lmsUserIdOf), every name known: tests of the LMS lookup itself run the LMS simulator instead.
   */
  learnerIds?: LearnerIds;
}

/**
 * The vendor adapter on real HTTP against a vendor simulator, as the orders subgraph builds it. Every
 * upstream it creates is pushed to `upstreams`, for the test to close.
 */
export function createVendorAdapter(
  simulatorUrl: string,
  upstreams: Upstream[],
  options: VendorAdapterOptions = {},
): VendorOrdersBackend {
  const upstream = (name: string) => {
    const created = createUpstream(parseUpstreamEnv('VENDOR', name, simulatorUrl, ROOMY));
    upstreams.push(created);
    return created;
  };
  const tokens = new VendorTokenProvider({
    auth: upstream('vendor-auth'),
    clientId: VENDOR_DEV_PROJECT.clientId,
    clientSecret: options.clientSecret ?? VENDOR_DEV_PROJECT.clientSecret,
    now: options.now ?? Date.now,
  });
  return new VendorOrdersBackend({
    api: upstream('vendor-commerce'),
    tokens,
    learnerIds: options.learnerIds ?? { userIdOf: async (username) => lmsUserIdOf(username) },
    projectKey: VENDOR_DEV_PROJECT.projectKey,
    receiptBaseUrl: `${simulatorUrl}/receipt/`,
    logger: silentLogger(),
  });
}
