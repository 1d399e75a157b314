import type { Identity } from '../platform/auth/Identity';

export interface GatewayContext {
  identity: Identity | null;
  /** Forwarded as-is to subgraphs, which verify it again. */
  authorization: string | undefined;
  requestId: string;
  /** The client's Idempotency-Key, forwarded to subgraphs (mutations are made idempotent where the upstream call happens). */
  idempotencyKey: string | undefined;
  /** Set when a subgraph answered from its idempotency record; echoed as `Idempotent-Replayed: true`. */
  replayed: boolean;
}
