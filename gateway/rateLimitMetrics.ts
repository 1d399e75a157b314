import { Counter, Gauge, type Registry } from 'prom-client';

/** The limiter's figures on the gateway's /metrics (docs/observability.md). */
export interface RateLimitMetrics {
  decisions: Counter<'caller' | 'operation' | 'outcome'>;
  storeErrors: Counter;
  shared: Gauge;
}

export function createRateLimitMetrics(registry: Registry): RateLimitMetrics {
  const registers = [registry];
  return {
    decisions: new Counter({
      name: 'switchyard_rate_limit_decisions_total',
      help: 'Operations checked by the rate limiter, by caller class (learner, staff, service, anonymous), operation type and outcome (allowed, limited)',
      labelNames: ['caller', 'operation', 'outcome'],
      registers,
    }),
    storeErrors: new Counter({
      name: 'switchyard_rate_limit_store_errors_total',
      help: 'Rate-limit checks that Redis failed and this instance counted in memory instead',
      registers,
    }),
    shared: new Gauge({
      name: 'switchyard_rate_limit_shared',
      help: '1 while the last rate-limit check was counted in the shared Redis, 0 while counted in memory (no REDIS_URL, or Redis unreachable)',
      registers,
    }),
  };
}
