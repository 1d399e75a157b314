import { createHistogram, performance } from 'node:perf_hooks';
import type { Sample } from './runLoad';

const LAG_TICK_MS = 10;

export interface SliceLoad {
  /** Latency probe whose percentiles are compared between the two conditions. */
  probe: Sample[];
  /** Background load that keeps the offered load the same in both conditions. */
  background: Sample[];
}

export interface ConditionSamples extends SliceLoad {
  /** p99 of this process's event-loop delay during the condition's slices, ms. */
  loopDelayP99Ms: number;
}

export interface AlternatedSamples {
  baseline: ConditionSamples;
  fault: ConditionSamples;
}

/**
 * Baseline and fault in alternating slices (baseline first) rather than one block each: on a shared
 * box, load from elsewhere drifts over seconds, and alternating makes the drift land on both
 * conditions alike instead of on whichever phase happened to run during it.
 */
export async function alternateSlices(options: {
  pairs: number;
  sliceMs: number;
  setFault: (on: boolean) => void;
  load: (sliceMs: number) => Promise<SliceLoad>;
}): Promise<AlternatedSamples> {
  // Our own lag sampler rather than monitorEventLoopDelay: toggling that one per slice records each
  // disabled gap as one huge delay (measured: a 500 ms "delay" per re-enable).
  const lag = { baseline: createHistogram(), fault: createHistogram() };
  let condition: keyof typeof lag = 'baseline';
  let last = performance.now();
  const sampler = setInterval(() => {
    const now = performance.now();
    lag[condition].record(Math.max(1, Math.round((now - last - LAG_TICK_MS) * 1000)));
    last = now;
  }, LAG_TICK_MS);
  const result = {
    baseline: { probe: [] as Sample[], background: [] as Sample[] },
    fault: { probe: [] as Sample[], background: [] as Sample[] },
  };
  try {
    for (let slice = 0; slice < 2 * options.pairs; slice++) {
      condition = slice % 2 === 1 ? 'fault' : 'baseline';
      options.setFault(condition === 'fault');
      const load = await options.load(options.sliceMs);
      result[condition].probe.push(...load.probe);
      result[condition].background.push(...load.background);
    }
  } finally {
    clearInterval(sampler);
    options.setFault(false);
  }
  return {
    baseline: { ...result.baseline, loopDelayP99Ms: lag.baseline.percentile(99) / 1000 },
    fault: { ...result.fault, loopDelayP99Ms: lag.fault.percentile(99) / 1000 },
  };
}

/** Pairs of slices for a phase: slices of about 500 ms (at least 4 pairs), short enough to interleave with load bursts from elsewhere. */
export function slicePairs(phaseMs: number): number {
  return Math.max(4, Math.round(phaseMs / 500));
}
