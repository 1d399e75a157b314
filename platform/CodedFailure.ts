import type { CodedErrorExtensions } from './codedError';
import type { ErrorCode } from './ErrorCode';

/**
 * A failure raised on purpose that is not yet a GraphQL error: it knows its stable code, what a client
 * may see of it, and what only the logs may. formatError (createFormatError) answers with the first two
 * and logs the third, without knowing which layer raised it: the upstream kit's UpstreamError is one.
 */
export interface CodedFailure {
  /** The brand isCodedFailure checks: survives duplicate module copies, where instanceof would not. */
  readonly isCodedFailure: true;
  readonly code: ErrorCode;
  /** Ours, safe to show; never an upstream's body. */
  readonly message: string;
  /** Sent beside the code, e.g. which upstream failed and whether trying again may help. */
  readonly clientExtensions: CodedErrorExtensions;
  /** For the one log line the failure gets where it is answered; never sent. */
  readonly logFields: Readonly<Record<string, unknown>>;
  /**
   * A refusal that metrics count one by one and whose cause was logged once already (a breaker's
   * opening): its line is debug, not warn, so a fail-fast storm is not also a log storm.
   */
  readonly logQuietly?: boolean;
}

export const isCodedFailure = (e: unknown): e is CodedFailure =>
  typeof e === 'object' && e !== null && 'isCodedFailure' in e && e.isCodedFailure === true;
