import { GraphQLError } from 'graphql';

/**
 * A stored error answered again for a retry. It is its own class so the resolver can mark the whole
 * response replayed (`Idempotent-Replayed: true`, `extensions.idempotency.replayed`) exactly as it
 * does for a replayed success; the error itself keeps saying so too (`extensions.replayed`).
 */
export class ReplayedError extends GraphQLError {
  readonly isReplayedError = true;
  constructor(message: string, extensions: Record<string, unknown>) {
    super(message, { extensions: { ...extensions, replayed: true } });
  }
}

// A brand, not instanceof: it survives duplicate module copies (jest module registries).
export const isReplayedError = (e: unknown): e is ReplayedError =>
  (e as { isReplayedError?: unknown } | null | undefined)?.isReplayedError === true;
