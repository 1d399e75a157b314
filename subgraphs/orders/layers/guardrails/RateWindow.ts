import type { RateRule } from '../../config/guardrailsConfig';

/** Buckets per window: the window slides in steps of windowMs / 12 (5 s of the 60-s default). */
export const GUARD_BUCKETS = 12;

/** What a window holds now, and whether its rule is crossed. */
export interface RateReading {
  /** Samples (reads, or compared reads) in the window. */
  samples: number;
  /** Of those, the bad ones (errors, or mismatches). */
  bad: number;
  /** bad / samples, 0 when empty. */
  rate: number;
  /** The rule's figures, so a reading explains itself in a log line or `/status`. */
  threshold: number;
  windowMs: number;
  minSamples: number;
  /** Enough samples, and the rate at or above the threshold. */
  crossed: boolean;
}

/**
 * A sliding count of good and bad samples over the last `windowMs`, kept in GUARD_BUCKETS fixed
 * buckets: constant memory whatever the traffic (2 × 12 numbers and 12 bucket ids). A bucket is
 * reused once it has fallen out of the window, so the window covers between windowMs minus one bucket
 * and windowMs of history. Time comes from `now`, injected, so tests move it by hand.
 */
export class RateWindow {
  private readonly bucketMs: number;
  private readonly ids = new Array<number>(GUARD_BUCKETS).fill(-1);
  private readonly totals = new Array<number>(GUARD_BUCKETS).fill(0);
  private readonly bads = new Array<number>(GUARD_BUCKETS).fill(0);

  constructor(
    private readonly rule: Readonly<RateRule>,
    private readonly now: () => number,
  ) {
    this.bucketMs = Math.max(1, Math.ceil(rule.windowMs / GUARD_BUCKETS));
  }

  record(bad: boolean): void {
    const id = Math.floor(this.now() / this.bucketMs);
    const slot = id % GUARD_BUCKETS;
    if (this.ids[slot] !== id) {
      this.ids[slot] = id;
      this.totals[slot] = 0;
      this.bads[slot] = 0;
    }
    this.totals[slot]! += 1;
    if (bad) this.bads[slot]! += 1;
  }

  read(): RateReading {
    const current = Math.floor(this.now() / this.bucketMs);
    let samples = 0;
    let bad = 0;
    for (let slot = 0; slot < GUARD_BUCKETS; slot++) {
      const id = this.ids[slot]!;
      if (id > current - GUARD_BUCKETS && id <= current) {
        samples += this.totals[slot]!;
        bad += this.bads[slot]!;
      }
    }
    const rate = samples === 0 ? 0 : bad / samples;
    const { threshold, windowMs, minSamples } = this.rule;
    return {
      samples,
      bad,
      rate,
      threshold,
      windowMs,
      minSamples,
      crossed: samples >= minSamples && rate >= threshold,
    };
  }

  /** Forgets everything: after a resume, errors from before it must not halt again at once. */
  reset(): void {
    this.ids.fill(-1);
    this.totals.fill(0);
    this.bads.fill(0);
  }
}
