import type { Identity } from '../../platform/auth/Identity';
import { createUpstream, type UpstreamDeps } from '../../upstream/createUpstream';
import type { Upstream } from '../../upstream/Upstream';
import { LmsServiceTokens } from './LmsServiceTokens';
import type { ServiceIdentityConfig } from './serviceIdentityConfig';

export interface ServiceTokens {
  /** The service user and a valid JWT for it; one token request however many callers ask at once. */
  identity(): Promise<Identity>;
  /** Call when an upstream answered 401 to `identity.token`; the next `identity()` fetches a new one. */
  invalidate(identity: Identity): void;
  /** The LMS OAuth2 upstream, for the component's `/status`, `/metrics` and shutdown (`close()`). */
  upstreams: Upstream[];
}

/**
 * The service identity of one process (a subgraph, the refund worker): its own upstream to the LMS
 * OAuth2 provider (deadline, breaker, bulkhead; named `lms-oauth2`) and one cached token. `now` is the
 * clock of the token's expiry (tests move it instead of waiting).
 */
export function createServiceTokens(
  config: ServiceIdentityConfig,
  deps: UpstreamDeps = {},
  now: () => number = Date.now,
): ServiceTokens {
  const oauth2 = createUpstream(config.oauth2, deps);
  const tokens = new LmsServiceTokens({
    oauth2,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    now,
  });
  return {
    identity: () => tokens.identity(),
    invalidate: (identity) => tokens.invalidate(identity),
    upstreams: [oauth2],
  };
}
