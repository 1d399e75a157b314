import { Counter, Gauge, type Registry } from 'prom-client';
import type { OrdersMode } from '../../../config/ordersMode';

export type FlagOutcome = 'ok' | 'fallback';

export interface RolloutFlagMetrics {
  evaluations: Counter<'flag' | 'outcome'>;
  share: Gauge<'mode'>;
}

/** On the subgraph's registry; names fixed with the guard and the dashboard (issue 23). */
export function createRolloutFlagMetrics(registry: Registry): RolloutFlagMetrics {
  const registers = [registry];
  return {
    evaluations: new Counter({
      name: 'switchyard_rollout_flag_evaluations_total',
      help: 'Rollout flag evaluations: ok, or fallback (error, wrong type or value, missing flag, provider not ready) to the last good value',
      labelNames: ['flag', 'outcome'],
      registers,
    }),
    share: new Gauge({
      name: 'switchyard_rollout_share_basis_points',
      help: 'The configured rollout share (0-10000) of the mode the rollout moves users to; a halt or kill switch does not zero it',
      labelNames: ['mode'],
      registers,
    }),
  };
}

/** Shows only the share in force: a change of mode removes the old mode's series. */
export function showShare(metrics: RolloutFlagMetrics, mode: OrdersMode, basisPoints: number): void {
  metrics.share.reset();
  metrics.share.set({ mode }, basisPoints);
}
