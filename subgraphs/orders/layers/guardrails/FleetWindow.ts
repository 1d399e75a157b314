import type { RateRule } from '../../config/guardrailsConfig';
import { RateWindow, rateReading, type Bucket, type RateReading } from './RateWindow';

/** What a window's counts are being judged on: the whole fleet's, or this instance's alone. */
export type WindowScope = 'fleet' | 'local';

/** A fleet window's reading for `/status`: the view judged, its scope, and this instance's own counts. */
export interface FleetReading extends RateReading {
  scope: WindowScope;
  local: RateReading;
}

/** The counts one exchange sends, and the reset count they belong to (a resume voids them). */
export interface PendingBatch {
  epoch: number;
  buckets: Bucket[];
}

/**
 * One guarded rate judged over the whole fleet's traffic (REDIS_URL set). The request path only
 * counts in memory (`record`: no I/O); at each poll the counts not yet shared are added to the
 * fleet's buckets in Redis and the fleet's sums read back (RedisWindowStore). The view judged is
 * those sums plus what was counted here since: nothing counted twice, nothing lost while a poll is on
 * its way. Until a poll has succeeded (or while Redis is unreachable) the view is this instance's own
 * counts, which is what every instance judged before fleet windows existed.
 */
export class FleetWindow {
  /** Everything counted here: the view while Redis is unreachable, and `local` in `/status`. */
  readonly local: RateWindow;
  /** Counted here, not yet added to the fleet's buckets: at most GUARD_BUCKETS buckets of numbers. */
  private readonly pending: RateWindow;
  /** The fleet's sums per bucket at the last successful poll (this instance's shared counts included). */
  private readonly fleet: RateWindow;
  private shared = false;
  /** Raised by every reset, so an exchange under way when a resume lands cannot settle old counts. */
  private epoch = 0;

  constructor(rule: Readonly<RateRule>, now: () => number) {
    this.local = new RateWindow(rule, now);
    this.pending = new RateWindow(rule, now);
    this.fleet = new RateWindow(rule, now);
  }

  get bucketMs(): number {
    return this.local.bucketMs;
  }

  currentId(): number {
    return this.local.currentId();
  }

  record(bad: boolean): void {
    this.local.record(bad);
    this.pending.record(bad);
  }

  get scope(): WindowScope {
    return this.shared ? 'fleet' : 'local';
  }

  /** The view judged: the fleet's last sums plus this instance's unshared counts, or local alone. */
  read(): RateReading {
    if (!this.shared) return this.local.read();
    let samples = 0;
    let bad = 0;
    for (const bucket of [...this.fleet.live(), ...this.pending.live()]) {
      samples += bucket.n;
      bad += bucket.bad;
    }
    return rateReading(this.local.rule, samples, bad);
  }

  status(): FleetReading {
    return { ...this.read(), scope: this.scope, local: this.local.read() };
  }

  /** The counts to send now; they stay pending until `settle` confirms Redis took them. */
  takePending(): PendingBatch {
    return { epoch: this.epoch, buckets: this.pending.live() };
  }

  /**
   * Redis added `sent` and answered the fleet's sums: `sent` leaves the pending counts (those counted
   * during the round trip stay) and the sums become the fleet view. Ignored after a reset meanwhile.
   */
  settle(sent: PendingBatch, fleetSums: readonly Bucket[]): void {
    if (sent.epoch !== this.epoch) return;
    for (const bucket of sent.buckets) this.pending.add(bucket.id, -bucket.n, -bucket.bad);
    this.fleet.reset();
    for (const bucket of fleetSums) this.fleet.add(bucket.id, bucket.n, bucket.bad);
    this.shared = true;
  }

  /** Redis unreachable: judge on local counts; pending ones wait for the next poll (old ones age out). */
  unreachable(): void {
    this.shared = false;
  }

  /** After a resume: everything forgotten here; the fleet's buckets are fresh too (new generation). */
  reset(): void {
    this.epoch += 1;
    this.local.reset();
    this.pending.reset();
    this.fleet.reset();
  }
}
