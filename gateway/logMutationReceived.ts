import type { Logger } from 'pino';
import { IDEMPOTENCY_KEY_HEADER } from '../platform/http/forwardedHeaders';
import type { GatewayContext } from './GatewayContext';

/**
 * The gateway's ingress line for a mutation, once the operation is known (before any limit, plan or
 * subgraph call): `request received`, with the request id, the key and the user. With the orders
 * subgraph's `received` and the gateway's `request completed` / `request aborted`, an operator tells
 * from the logs alone where a request stopped: never reached us (no line), reached the gateway only
 * (refused there, or lost on the way to the subgraph), or reached the subgraph.
 */
export function logMutationReceived(
  context: GatewayContext,
  operationName: string | null,
  logger: Logger,
): void {
  logger.info(
    {
      audit: 'mutation',
      event: 'request received',
      requestId: context.requestId,
      idempotencyKey: context.forwardHeaders[IDEMPOTENCY_KEY_HEADER] ?? null,
      user: context.identity?.username ?? null,
      operationName,
    },
    'request received',
  );
}
