import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BreakerState } from './Upstream';

export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = {
  closed: 0,
  halfOpen: 1,
  open: 2,
};

/** Prometheus metrics of the upstream kit; one set per component registry, labelled by upstream. */
export interface UpstreamMetrics {
  breakerState: Gauge<'upstream'>;
  calls: Counter<'upstream' | 'outcome'>;
  duration: Histogram<'upstream'>;
  inFlight: Gauge<'upstream'>;
  queued: Gauge<'upstream'>;
  retries: Counter<'upstream'>;
  staleServed: Counter<'upstream'>;
}

export function createUpstreamMetrics(registry: Registry): UpstreamMetrics {
  const registers = [registry];
  return {
    breakerState: new Gauge({
      name: 'switchyard_upstream_breaker_state',
      help: 'Breaker state: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'],
      registers,
    }),
    calls: new Counter({
      name: 'switchyard_upstream_calls_total',
      help: 'Upstream attempts by outcome (success, client_error, rate_limited, error, timeout, unavailable, rejected_open, rejected_overload)',
      labelNames: ['upstream', 'outcome'],
      registers,
    }),
    duration: new Histogram({
      name: 'switchyard_upstream_attempt_duration_seconds',
      help: 'Duration of one upstream attempt',
      labelNames: ['upstream'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers,
    }),
    inFlight: new Gauge({
      name: 'switchyard_upstream_in_flight',
      help: 'Calls in flight (bulkhead)',
      labelNames: ['upstream'],
      registers,
    }),
    queued: new Gauge({
      name: 'switchyard_upstream_queued',
      help: 'Calls waiting for a bulkhead slot',
      labelNames: ['upstream'],
      registers,
    }),
    retries: new Counter({
      name: 'switchyard_upstream_retries_total',
      help: 'Retried attempts',
      labelNames: ['upstream'],
      registers,
    }),
    staleServed: new Counter({
      name: 'switchyard_upstream_stale_served_total',
      help: 'Stale answers served because the upstream failed',
      labelNames: ['upstream'],
      registers,
    }),
  };
}
