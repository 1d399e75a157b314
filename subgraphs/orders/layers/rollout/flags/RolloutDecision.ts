import type { OrdersMode } from '../../../config/ordersMode';

/** What the flags decide for one history read. */
export interface RolloutDecision {
  /** The mode serving the history: the kill switch applied; a staff override or a halt come on top. */
  mode: OrdersMode;
  /** The mode read in the background and its sample rate; null when off or sampled at 0. */
  shadow: { mode: OrdersMode; sampleRate: number } | null;
}
