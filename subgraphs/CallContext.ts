import type { Identity } from '../platform/auth/Identity';

/** What every backend call carries: who asks (authorization, forwarding) and the trace id. */
export interface CallContext {
  identity: Identity;
  requestId: string;
  signal?: AbortSignal;
}
