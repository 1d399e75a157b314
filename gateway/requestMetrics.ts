import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestOutcome } from './requestOutcome';

/** The gateway's golden signals, one observation per HTTP GraphQL request (docs/observability.md). */
export interface RequestMetrics {
  requests: Counter<'outcome'>;
  duration: Histogram<'outcome'>;
}

/**
 * Seconds, from 5 ms to 10 s: a cached or refused request takes a few milliseconds, a page across
 * both subgraphs tens, and the upstreams' deadlines end a request within a few seconds. The 0.25 s and
 * 0.5 s edges are where a latency objective is likely to sit.
 */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createRequestMetrics(registry: Registry): RequestMetrics {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'switchyard_graphql_requests_total',
      help: 'HTTP GraphQL requests by outcome: ok, refused (the caller was turned away: a limit, a token, an invalid document, a business rule), error (the service failed it)',
      labelNames: ['outcome'],
      registers,
    }),
    duration: new Histogram({
      name: 'switchyard_graphql_request_duration_seconds',
      help: 'Time from receiving an HTTP GraphQL request to the end of its answer, by outcome',
      labelNames: ['outcome'],
      buckets: REQUEST_DURATION_BUCKETS,
      registers,
    }),
  };
}

/** Records one finished request. */
export function recordRequest(metrics: RequestMetrics, outcome: RequestOutcome, seconds: number): void {
  metrics.requests.inc({ outcome });
  metrics.duration.observe({ outcome }, seconds);
}
