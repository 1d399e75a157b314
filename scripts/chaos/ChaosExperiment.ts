import type { ExperimentResult } from './ExperimentRecord';

/** How long and how hard the experiments push; the verdict thresholds do not change with them. */
export interface ChaosSettings {
  /** Length of each load phase (steady state, fault, recovery). */
  phaseMs: number;
  /** Breaker reset timeout where an experiment watches an open breaker: the open window it observes. */
  breakerResetMs: number;
  /**
   * Rate of open-loop background load where a baseline and a fault phase must see the same offered
   * load. Kept light: the whole stack shares one event loop with the load generator, so a flood
   * measures CPU queueing rather than what a fault adds.
   */
  loadRatePerSec: number;
  /**
   * Percentile at which a fault phase's latency tail is compared with its baseline (T4, gateway
   * hang). 0.99 in the full run; the fast run has ~100 samples per condition, where p99 is the single
   * slowest request and one GC pause decides the verdict, so it compares p90 instead.
   */
  tailQuantile: number;
  /**
   * How long T13 keeps both backends down while deferred refunds wait: the target's 60 s in the full
   * run; a few seconds in the fast run, with the worker's backoff scaled down alike (see T13).
   */
  outageMs: number;
}

/** `npm test`: about a second of load per phase; every experiment must still pass on 2 cores. */
export const FAST_SETTINGS: ChaosSettings = {
  phaseMs: 1200,
  breakerResetMs: 2000,
  loadRatePerSec: 40,
  tailQuantile: 0.9,
  outageMs: 2000,
};

/** `npm run chaos`: longer phases, so percentiles rest on thousands of samples. */
export const FULL_SETTINGS: ChaosSettings = {
  phaseMs: 5000,
  breakerResetMs: 4000,
  loadRatePerSec: 40,
  tailQuantile: 0.99,
  outageMs: 60_000,
};

export interface ChaosExperiment {
  id: string;
  title: string;
  run(settings: ChaosSettings): Promise<ExperimentResult>;
}
