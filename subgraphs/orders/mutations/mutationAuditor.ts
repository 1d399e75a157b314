import type { Logger } from 'pino';
import type { MutationCall } from './MutationCall';

export type Audit = (event: string, fields?: Record<string, unknown>) => void;

/** One structured line per event, all carrying request id, key, user and operation (docs/observability.md, "Audit trail"). */
export function mutationAuditor(
  logger: Logger,
  operation: string,
  call: MutationCall,
  serviceUser?: string,
): Audit {
  const base = {
    audit: 'mutation',
    operation,
    requestId: call.requestId,
    idempotencyKey: call.idempotencyKey,
    user: call.identity.username,
    ...(serviceUser ? { via: serviceUser } : {}),
  };
  return (event: string, fields: Record<string, unknown> = {}) =>
    logger.info({ ...base, ...fields, event }, `mutation ${event}`);
}
