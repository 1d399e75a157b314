import type { Identity } from '../platform/auth/Identity';

/** What every backend call carries: who asks (authorization, forwarding) and the trace id. */
export interface CallContext {
  identity: Identity;
  requestId: string;
  signal?: AbortSignal;
  /**
   * The raw ORDERS_MODE_OVERRIDE_HEADER, if sent: a staff member forcing an orders mode for this
   * request. Only the rollout layer reads it, and only for staff (see RolloutOrdersBackend).
   */
  modeOverride?: string;
}
