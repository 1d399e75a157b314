import type { OrdersMode } from '../../../config/ordersMode';

/**
 * The rollout's OpenFeature flags (docs/rollout-and-shadow.md "Flags"). The keys are the contract with
 * a team's flag file: renaming one silently turns it into a missing flag (a fallback), so they are fixed.
 */
export const ROLLOUT_FLAGS = {
  /** boolean: true sends everyone to ORDERS_BACKEND (staff overrides aside). */
  killSwitch: 'orders-rollout-kill-switch',
  /** string legacy|vendor|merged: the mode the rollout moves users to (context `rolloutMode`). */
  rolloutMode: 'orders-rollout-mode',
  /** number 0–10000, basis points: the rollout share (context `rolloutShare`). */
  rolloutShare: 'orders-rollout-share',
  /** string legacy|vendor|merged: the mode serving this user's history (targeting: share, overrides). */
  historyMode: 'orders-history-mode',
  /** string off|legacy|vendor|merged: the mode read in the background and compared. */
  shadowMode: 'orders-shadow-mode',
  /** number 0–1: the share of history reads compared. */
  shadowSampleRate: 'orders-shadow-sample-rate',
} as const;

export type RolloutFlagName = keyof typeof ROLLOUT_FLAGS;
export type RolloutFlagKey = (typeof ROLLOUT_FLAGS)[RolloutFlagName];

export const SHADOW_OFF = 'off';
export type ShadowSetting = OrdersMode | typeof SHADOW_OFF;

/** Every value a flag can fall back to before any good evaluation: what the environment describes. */
export interface RolloutFlagValues {
  killSwitch: boolean;
  rolloutMode: OrdersMode;
  rolloutShare: number;
  shadowMode: ShadowSetting;
  shadowSampleRate: number;
}

/**
 * The evaluation context's attributes, all bounded and none secret (no token, no identity beyond the
 * username): the history owner's username (the targeting key), their bucket (0–9999), whether the
 * caller is staff, ORDERS_BACKEND, and for `orders-history-mode` the share and mode already evaluated
 * for this read (so its rule compares against the one share in force).
 */
export type RolloutContext = {
  targetingKey: string;
  rolloutBucket: number;
  staff: boolean;
  /** ORDERS_BACKEND, so a rule can send the unmoved to it without repeating it in the file. */
  ordersBackend: OrdersMode;
};

/** `orders-history-mode`'s context: the share and mode in force for this read added. */
export type HistoryModeContext = RolloutContext & { rolloutShare: number; rolloutMode: OrdersMode };
