import { Counter, Gauge, type Registry } from 'prom-client';

export interface GuardMetrics {
  /** History reads served, per mode: `ok`, or `error` (a failure of the system's, not the caller's). */
  reads: Counter<'mode' | 'outcome'>;
  /** Halts this instance applied (its own, or learned from the shared state), by reason. */
  halts: Counter<'reason'>;
  /** 1 while the rollout is halted here, else 0. */
  halted: Gauge;
}

/** On the orders subgraph's registry, next to the shadow's counters (names fixed by issue 23's split). */
export function createGuardMetrics(registry: Registry): GuardMetrics {
  const registers = [registry];
  const metrics: GuardMetrics = {
    reads: new Counter({
      name: 'switchyard_orders_history_reads_total',
      help: 'Order history reads served, by mode and outcome (ok, error); caller mistakes are not counted',
      labelNames: ['mode', 'outcome'],
      registers,
    }),
    halts: new Counter({
      name: 'switchyard_rollout_halts_total',
      help: 'Rollout halts applied by this instance, by reason (error_rate, mismatch_rate, operator)',
      labelNames: ['reason'],
      registers,
    }),
    halted: new Gauge({
      name: 'switchyard_rollout_halted',
      help: '1 while the orders rollout is halted (everyone served ORDERS_BACKEND), else 0',
      registers,
    }),
  };
  metrics.halted.set(0);
  return metrics;
}
