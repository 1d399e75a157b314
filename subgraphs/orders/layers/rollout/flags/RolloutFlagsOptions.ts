import type { Client } from '@openfeature/server-sdk';
import type { OrdersMode } from '../../../config/ordersMode';
import type { FallbackLog } from './FallbackLog';
import type { RolloutFlagMetrics } from './RolloutFlagMetrics';
import type { RolloutFlagValues } from './rolloutFlagKeys';
import type { Deadline } from './timerDeadline';

export interface RolloutFlagsOptions {
  /** An OpenFeature client bound to this instance's own domain (createRolloutFlags). */
  client: Client;
  /** ORDERS_BACKEND: where everyone goes when killed, and whoever the rollout does not move. */
  baseMode: OrdersMode;
  /** Whether this deployment can serve a mode (vendor and merged need the vendor configuration). */
  servable: (mode: OrdersMode) => boolean;
  /** The environment's description of the flags: the fallback before any good evaluation. */
  defaults: Readonly<RolloutFlagValues>;
  metrics: RolloutFlagMetrics;
  log: FallbackLog;
  /**
   * The most one read waits for its flags (ORDERS_FLAGS_TIMEOUT_MS); past it, every flag of the read
   * takes its last good value. In process an evaluation takes microseconds; a flagd daemon over RPC
   * that is down made each one wait for seconds, which would have held every history read.
   */
  timeoutMs: number;
  /** Starts the read's deadline; injected in tests to fire it by hand. @default a timer */
  expire?: (ms: number) => Deadline;
  /**
   * The flags are the environment's and cannot change while the process lives (ORDERS_FLAGS_* unset):
   * every decision is the env provider's rule on `defaults`, taken directly. The SDK's evaluation of
   * six flags costs ~150 µs a read (bench/rolloutFlagsCost.ts) for an answer known at start-up; an
   * in-memory provider can neither fail nor change, so nothing is counted or can fall back.
   */
  constant?: boolean;
}
