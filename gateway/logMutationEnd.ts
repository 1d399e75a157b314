import type { ServerResponse } from 'node:http';
import { context as otelContext } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { IDEMPOTENCY_KEY_HEADER } from '../platform/http/forwardedHeaders';
import type { GatewayContext } from './GatewayContext';

/**
 * One line when a mutation's HTTP exchange ends: `request completed` (the whole answer was written)
 * or `request aborted` (the caller went away first). Beside the orders subgraph's audit trail, with
 * the same request id and key, it tells "we did the work but the caller never got the answer" apart
 * from "the request never reached us" — from the logs alone. Queries are not logged: they are safe to
 * repeat, and there are many.
 */
export function logMutationEnd(res: ServerResponse, context: GatewayContext, logger: Logger): void {
  const startedAt = Date.now();
  // Bound to the request's trace context: 'close' is emitted outside it, and this line must carry the
  // request's traceId like every other line of the request.
  res.once(
    'close',
    otelContext.bind(otelContext.active(), () => {
      const { operation, replayed } = context.notes;
      if (operation?.type !== 'mutation') return;
      const completed = res.writableEnded;
      const fields = {
        audit: 'mutation',
        event: completed ? 'request completed' : 'request aborted',
        requestId: context.requestId,
        idempotencyKey: context.forwardHeaders[IDEMPOTENCY_KEY_HEADER] ?? null,
        user: context.identity?.username ?? null,
        operationName: operation.name,
        status: completed ? res.statusCode : null,
        replayed,
        durationMs: Date.now() - startedAt,
      };
      if (completed) logger.info(fields, 'request completed');
      else logger.warn(fields, 'request aborted');
    }),
  );
}
