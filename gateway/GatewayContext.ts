import type { Identity } from '../platform/auth/Identity';
import type { ErrorsSeen } from './requestOutcome';

export interface GatewayContext {
  identity: Identity | null;
  /**
   * Forwarded to subgraphs, which verify it again: the request's Authorization header, or
   * `JWT <token>` joined from the LMS's cookies (platform/auth/requestCredentials.ts).
   */
  authorization: string | undefined;
  requestId: string;
  /** Who an anonymous request is counted as by the rate limiter (RATE_LIMIT_TRUSTED_PROXIES). */
  clientAddress: string;
  /**
   * Request headers passed on to every subgraph call: auth (verified again there), tracing, the
   * Idempotency-Key (enforced where the upstream call happens) and the staff backend override.
   */
  forwardHeaders: Record<string, string>;
  /** Set when a subgraph answered from its idempotency record; echoed as `Idempotent-Replayed: true`. */
  replayed: boolean;
  /**
   * What the request turned out to be, for the line logged when its HTTP exchange ends. An object
   * shared by reference: Apollo hands plugins a shallow copy of the context, so a field set on that
   * copy would never be seen by the HTTP layer.
   */
  notes: RequestNotes;
}

export interface RequestNotes {
  /** Null until Apollo has resolved the operation (noteOperation), or if it never parsed. */
  operation: { type: 'query' | 'mutation' | 'subscription'; name: string | null } | null;
  replayed: boolean;
  /** What errors the answer held (noteErrors), for the request counter; unset until it is sent. */
  errors?: ErrorsSeen;
}
