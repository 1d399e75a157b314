import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Handler } from '../platform/http/Routes';
import { recordRequest, type RequestMetrics } from './requestMetrics';
import { requestOutcome, type ErrorsSeen } from './requestOutcome';

/**
 * Wraps the `/graphql` handler so every request is counted and timed once, when its HTTP exchange
 * ends, whatever answered it: Apollo, or the handler itself before Apollo (a body too large, bad
 * JSON). `errorsOf` tells what errors Apollo answered with, when it did (noteErrors). Constant work
 * per request: a status, a flag and one lookup; never the body.
 */
export function countGraphQLRequests(
  handler: Handler,
  metrics: RequestMetrics,
  errorsOf: (req: IncomingMessage) => ErrorsSeen | undefined,
): Handler {
  return (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    res.once('close', () => {
      const outcome = requestOutcome(res.statusCode, res.writableEnded, errorsOf(req));
      recordRequest(metrics, outcome, (performance.now() - startedAt) / 1000);
    });
    return handler(req, res);
  };
}
