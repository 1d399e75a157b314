import type { RateRule } from '../../config/guardrailsConfig';

/** Buckets per window: the window slides in steps of windowMs / 12 (5 s of the 60-s default). */
export const GUARD_BUCKETS = 12;

/** One bucket's counts: `id` is floor(time / bucketMs), so every instance numbers buckets alike. */
export interface Bucket {
  id: number;
  n: number;
  bad: number;
}

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

/** The reading for these counts under `rule`. */
export function rateReading(rule: Readonly<RateRule>, samples: number, bad: number): RateReading {
  const rate = samples === 0 ? 0 : bad / samples;
  const { threshold, windowMs, minSamples } = rule;
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

/**
 * A sliding count of good and bad samples over the last `windowMs`, kept in GUARD_BUCKETS fixed
 * buckets: constant memory whatever the traffic (2 × 12 numbers and 12 bucket ids). A bucket is
 * reused once it has fallen out of the window, so the window covers between windowMs minus one bucket
 * and windowMs of history. Time comes from `now`, injected, so tests move it by hand.
 */
export class RateWindow {
  readonly bucketMs: number;
  private readonly ids = new Array<number>(GUARD_BUCKETS).fill(-1);
  private readonly totals = new Array<number>(GUARD_BUCKETS).fill(0);
  private readonly bads = new Array<number>(GUARD_BUCKETS).fill(0);

  constructor(
    readonly rule: Readonly<RateRule>,
    private readonly now: () => number,
  ) {
    this.bucketMs = Math.max(1, Math.ceil(rule.windowMs / GUARD_BUCKETS));
  }

  /** The id of the bucket that `now` falls in. */
  currentId(): number {
    return Math.floor(this.now() / this.bucketMs);
  }

  record(bad: boolean): void {
    this.add(this.currentId(), 1, bad ? 1 : 0);
  }

  /** Adds counts (negative to take them back) to bucket `id`; ignored once it is out of the window. */
  add(id: number, n: number, bad: number): void {
    const current = this.currentId();
    if (id <= current - GUARD_BUCKETS || id > current) return;
    const slot = id % GUARD_BUCKETS;
    if (this.ids[slot] !== id) {
      this.ids[slot] = id;
      this.totals[slot] = 0;
      this.bads[slot] = 0;
    }
    this.totals[slot]! += n;
    this.bads[slot]! += bad;
  }

  /** The buckets in the window holding anything, oldest first. */
  live(): Bucket[] {
    const current = this.currentId();
    const buckets: Bucket[] = [];
    for (let id = current - GUARD_BUCKETS + 1; id <= current; id++) {
      const slot = id % GUARD_BUCKETS;
      if (this.ids[slot] === id && this.totals[slot] !== 0) {
        buckets.push({ id, n: this.totals[slot]!, bad: this.bads[slot]! });
      }
    }
    return buckets;
  }

  read(): RateReading {
    let samples = 0;
    let bad = 0;
    for (const bucket of this.live()) {
      samples += bucket.n;
      bad += bucket.bad;
    }
    return rateReading(this.rule, samples, bad);
  }

  /** Forgets everything: after a resume, errors from before it must not halt again at once. */
  reset(): void {
    this.ids.fill(-1);
    this.totals.fill(0);
    this.bads.fill(0);
  }
}
