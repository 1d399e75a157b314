import type { Identity } from '../platform/auth/Identity';

export interface GatewayContext {
  identity: Identity | null;
  /** Forwarded as-is to subgraphs, which verify it again. */
  authorization: string | undefined;
  requestId: string;
  /**
   * Request headers passed on to every subgraph call: auth (verified again there), tracing, the
   * Idempotency-Key (enforced where the upstream call happens) and the staff backend override.
   */
  forwardHeaders: Record<string, string>;
  /** Set when a subgraph answered from its idempotency record; echoed as `Idempotent-Replayed: true`. */
  replayed: boolean;
}
