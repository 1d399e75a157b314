import { Counter, type Registry } from 'prom-client';
import type { OrderListDiff } from './diffOrderLists';

/**
 * How a sampled shadow read ended: `match`/`mismatch` (compared), `timeout` (deadline passed),
 * `error` (the shadow failed or answered partially), `dropped` (too many in flight), `skipped` (the
 * call was served by the shadow's own mode, or the primary page was partial: nothing to compare).
 */
export type ShadowOutcome = 'match' | 'mismatch' | 'timeout' | 'error' | 'dropped' | 'skipped';

export interface ShadowMetrics {
  reads: Counter<'shadow' | 'outcome'>;
  fields: Counter<'shadow' | 'field' | 'result'>;
  orders: Counter<'shadow' | 'result'>;
}

/** Registered on the subgraph's registry, so they appear on its `/metrics` next to the upstreams'. */
export function createShadowMetrics(registry: Registry): ShadowMetrics {
  const registers = [registry];
  return {
    reads: new Counter({
      name: 'switchyard_orders_shadow_reads_total',
      help: 'Sampled shadow history reads by outcome (match, mismatch, timeout, error, dropped, skipped)',
      labelNames: ['shadow', 'outcome'],
      registers,
    }),
    fields: new Counter({
      name: 'switchyard_orders_shadow_fields_total',
      help: 'Orders found by both backends, per compared field: result match or mismatch',
      labelNames: ['shadow', 'field', 'result'],
      registers,
    }),
    orders: new Counter({
      name: 'switchyard_orders_shadow_orders_total',
      help: 'Compared orders: matched, mismatched, missing_in_shadow, missing_in_primary',
      labelNames: ['shadow', 'result'],
      registers,
    }),
  };
}

/** Adds one comparison's per-field and per-order results. */
export function recordDiff(metrics: ShadowMetrics, shadow: string, diff: OrderListDiff): void {
  for (const [field, counts] of Object.entries(diff.fields)) {
    if (counts.match > 0) metrics.fields.inc({ shadow, field, result: 'match' }, counts.match);
    if (counts.mismatch > 0) metrics.fields.inc({ shadow, field, result: 'mismatch' }, counts.mismatch);
  }
  const orders: [string, number][] = [
    ['matched', diff.matched.length],
    ['mismatched', diff.mismatched.length],
    ['missing_in_shadow', diff.missingInShadow.length],
    ['missing_in_primary', diff.missingInPrimary.length],
  ];
  for (const [result, n] of orders) if (n > 0) metrics.orders.inc({ shadow, result }, n);
}
