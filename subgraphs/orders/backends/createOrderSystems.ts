import type { Logger } from 'pino';
import { createUpstream, type UpstreamDeps } from '../../../upstream/createUpstream';
import type { Upstream } from '../../../upstream/Upstream';
import type { UpstreamOptions } from '../../../upstream/UpstreamOptions';
import { budgetedUpstream } from '../budget/budgetedUpstream';
import type { OrdersConfig } from '../config/ordersConfig';
import type { VendorConfig } from '../config/vendorConfig';
import { createServiceTokens, type ServiceTokens } from '../../serviceIdentity/createServiceTokens';
import { LmsUserIds } from '../../serviceIdentity/LmsUserIds';
import { LegacyOrdersBackend } from './legacy/LegacyOrdersBackend';
import { VendorOrdersBackend, type LearnerIds } from './vendor/VendorOrdersBackend';
import { VendorTokenProvider } from './vendor/VendorTokenProvider';

export interface OrderSystems {
  legacy: LegacyOrdersBackend;
  /** Null when no vendor is configured. */
  vendor: VendorOrdersBackend | null;
  legacyUpstream: Upstream;
  /** Every upstream client built here, for `/status`, `/metrics` and `close()`. */
  upstreams: Upstream[];
}

export interface OrderSystemsOptions {
  /**
   * The process's service identity, for the LMS user API the vendor reads call (LmsUserIds).
   * @default one of the systems' own (a tool such as `npm run compare`)
   */
  service?: ServiceTokens;
  /** Adjusts each system's upstream options, e.g. a separate set for the shadow layer. @default as configured */
  upstreamOptions?: (options: UpstreamOptions) => UpstreamOptions;
  /**
   * Count each read against the budget of the request it is made for (RequestBudget). Off for reads
   * made after the answer (the shadow's). @default true
   */
  budgeted?: boolean;
}

/**
 * One read adapter per system, each on upstream clients of its own. Used by the read stack
 * (selectOrdersBackend, twice with a shadow), the writes (createOrderWrites, which share these
 * clients) and `npm run compare`.
 */
export function createOrderSystems(
  config: OrdersConfig,
  logger: Logger,
  upstreamDeps: UpstreamDeps = {},
  options: OrderSystemsOptions = {},
): OrderSystems {
  const own = options.upstreamOptions ?? ((o: UpstreamOptions) => o);
  const budgeted = options.budgeted === false ? (u: Upstream) => u : budgetedUpstream;
  const legacyUpstream = budgeted(createUpstream(own(config.legacy), upstreamDeps));
  const legacy = new LegacyOrdersBackend({
    upstream: legacyUpstream,
    receiptBaseUrl: config.receiptBaseUrl,
    logger,
  });
  const vendorConfig = config.vendor && {
    ...config.vendor,
    api: own(config.vendor.api),
    auth: own(config.vendor.auth),
  };
  let vendor: { backend: VendorOrdersBackend; upstreams: Upstream[] } | null = null;
  if (vendorConfig) {
    // Only vendor reads need the LMS: a staff member's view of a learner's vendor history.
    const lmsApi = budgeted(createUpstream(own(config.lmsApi), upstreamDeps));
    const service = options.service ?? createServiceTokens(config.serviceIdentity, upstreamDeps);
    const learnerIds = new LmsUserIds(lmsApi, service);
    const created = createVendorBackend(vendorConfig, learnerIds, logger, upstreamDeps, budgeted);
    const lmsUpstreams = [lmsApi, ...(options.service ? [] : service.upstreams)];
    vendor = { backend: created.backend, upstreams: [...created.upstreams, ...lmsUpstreams] };
  }
  return {
    legacy,
    vendor: vendor?.backend ?? null,
    legacyUpstream,
    upstreams: [legacyUpstream, ...(vendor?.upstreams ?? [])],
  };
}

function createVendorBackend(
  config: VendorConfig,
  learnerIds: LearnerIds,
  logger: Logger,
  upstreamDeps: UpstreamDeps,
  budgeted: (upstream: Upstream) => Upstream,
) {
  // The token endpoint is not counted: one cached token serves every request.
  const api = budgeted(createUpstream(config.api, upstreamDeps));
  const auth = createUpstream(config.auth, upstreamDeps);
  const tokens = new VendorTokenProvider({
    auth,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scopes: config.scopes,
  });
  const backend = new VendorOrdersBackend({
    api,
    tokens,
    learnerIds,
    projectKey: config.projectKey,
    receiptBaseUrl: config.receiptBaseUrl,
    logger,
  });
  return { backend, upstreams: [api, auth] };
}
