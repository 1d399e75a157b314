import type { Identity } from '../platform/auth/Identity';

export interface GatewayContext {
  identity: Identity | null;
  /** Forwarded as-is to subgraphs, which verify it again. */
  authorization: string | undefined;
  requestId: string;
}
