import type { Logger } from 'pino';
import type { GuardrailsConfig } from '../../config/guardrailsConfig';
import type { OrdersMode } from '../../config/ordersMode';
import type { GuardMetrics } from './GuardMetrics';
import type { HaltReason, HaltRecord, StoredHalt } from './HaltRecord';
import type { HaltStore } from './HaltStore';
import { FleetWindow, type WindowScope } from './FleetWindow';
import type { RateReading } from './RateWindow';
import type { RedisWindowStore } from './RedisWindowStore';

/** The rollout in force: which mode a share of users is moved to, and that share in basis points. */
export interface ActiveRollout {
  mode: OrdersMode;
  basisPoints: number;
}

export interface RolloutGuardOptions {
  config: Readonly<GuardrailsConfig>;
  store: HaltStore;
  metrics: GuardMetrics;
  logger: Logger;
  /** The rollout now (a function: the share may change at run time); null or 0 bp: nothing judged. */
  rollout: () => Readonly<ActiveRollout> | null;
  /** Who this instance is in a halt record and log line, e.g. `host:pid`. */
  instance: string;
  /** @default Date.now */
  now?: () => number;
  /** The fleet's shared windows (REDIS_URL set); without it each instance judges its own traffic. */
  windows?: RedisWindowStore;
}

/**
 * Watches the rolled-out mode's error rate and the shadow's mismatch rate while a rollout is above
 * 0 %, and halts the rollout for every instance when one crosses its rule; learns others' halts and
 * operators' resumes by reading the shared state every `pollMs`. `isHalted()` is the request path's
 * view: a field read, never I/O. Resuming is never done here: only an operator (`npm run rollout`).
 */
export class RolloutGuard {
  private readonly now: () => number;
  private readonly errors: FleetWindow;
  private readonly mismatches: FleetWindow;
  private halted = false;
  private current: StoredHalt | null = null;
  /** A halt this instance applied but could not share (Redis down): written at the next poll. */
  private unshared: HaltRecord | null = null;
  /** A halt being written: polls wait for it, so a stale read cannot undo it. */
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastSyncAt: number | null = null;
  private syncFailing = false;

  constructor(private readonly options: RolloutGuardOptions) {
    this.now = options.now ?? Date.now;
    this.errors = new FleetWindow(options.config.errorRate, this.now);
    this.mismatches = new FleetWindow(options.config.mismatchRate, this.now);
  }

  /** Cached; the request path asks it on every history read. */
  isHalted(): boolean {
    return this.halted;
  }

  /** One history read served by `mode`; `ok` false for a failure of the system's (countsAgainstMode). */
  recordServed(mode: OrdersMode, ok: boolean): void {
    this.options.metrics.reads.inc({ mode, outcome: ok ? 'ok' : 'error' });
    const rollout = this.judged();
    if (!rollout || mode !== rollout.mode) return;
    this.errors.record(!ok);
    const reading = this.errors.read();
    if (reading.crossed) this.trip('error_rate', rollout.mode, reading, this.errors.scope);
  }

  /** One shadow comparison finished (ShadowOrdersBackendOptions.onCompared). */
  recordCompared(mismatch: boolean): void {
    const rollout = this.judged();
    if (!rollout) return;
    this.mismatches.record(mismatch);
    const reading = this.mismatches.read();
    if (reading.crossed) this.trip('mismatch_rate', rollout.mode, reading, this.mismatches.scope);
  }

  /** Reads the shared state once, then every `pollMs`. Resolves after the first read (or its failure). */
  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.sync(), this.options.config.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.writing;
    await this.options.store.close();
  }

  /** Brings this instance in line with the shared state; never throws (a failed read keeps the last view). */
  async sync(): Promise<void> {
    await this.writing;
    try {
      if (this.unshared) {
        const change = await this.options.store.halt(this.unshared);
        this.unshared = null;
        // Already counted and logged when applied here; only the shared view is taken.
        this.current = change.current;
      }
      const stored = await this.options.store.read();
      this.lastSyncAt = this.now();
      this.apply(stored);
      await this.shareWindows();
      if (this.syncFailing)
        this.options.logger.info({ event: 'rollout_guard_sync' }, 'rollout halt state readable again');
      this.syncFailing = false;
    } catch (error) {
      // Judged on this instance's counts until Redis answers; its unshared counts wait for then.
      this.errors.unreachable();
      this.mismatches.unreachable();
      // One line per outage, not per poll; the last known state stays in force meanwhile.
      if (!this.syncFailing) {
        this.options.logger.warn(
          { event: 'rollout_guard_sync', err: error instanceof Error ? error.message : String(error) },
          "rollout guard's shared state unreadable; keeping the last known halt state and judging on this instance's counts",
        );
      }
      this.syncFailing = true;
    }
  }

  /**
   * Fleet windows: adds this instance's new counts to the fleet's and reads the fleet's sums, then
   * judges them, so an instance with few reads of its own still halts when the fleet crosses a rule.
   * Skipped while nothing is judged (halted, no rollout, automatic halts off): nothing to count.
   */
  private async shareWindows(): Promise<void> {
    const shared = this.options.windows;
    if (!shared || !this.judged()) return;
    await shared.exchange(this.current?.generation ?? 0, {
      errors: this.errors,
      mismatches: this.mismatches,
    });
    const rollout = this.judged();
    if (!rollout) return;
    const errors = this.errors.read();
    const mismatches = this.mismatches.read();
    if (errors.crossed) this.trip('error_rate', rollout.mode, errors, this.errors.scope);
    else if (mismatches.crossed) this.trip('mismatch_rate', rollout.mode, mismatches, this.mismatches.scope);
  }

  /** The `rollout` section of the orders subgraph's `/status`. */
  status(): Record<string, unknown> {
    const rollout = this.options.rollout();
    return {
      mode: rollout?.mode ?? null,
      basisPoints: rollout?.basisPoints ?? 0,
      halted: this.halted,
      autoHalt: this.options.config.autoHalt,
      store: this.options.store.kind,
      ...(this.current ? { last: this.current } : {}),
      ...(this.unshared ? { unshared: this.unshared } : {}),
      lastSyncAt: this.lastSyncAt === null ? null : new Date(this.lastSyncAt).toISOString(),
      windows: this.options.windows
        ? { errorRate: this.errors.status(), mismatchRate: this.mismatches.status() }
        : { errorRate: this.errors.read(), mismatchRate: this.mismatches.read() },
    };
  }

  /** The rollout whose figures count now: none while halted, at 0 %, or with automatic halts off. */
  private judged(): Readonly<ActiveRollout> | null {
    if (this.halted || !this.options.config.autoHalt) return null;
    const rollout = this.options.rollout();
    return rollout && rollout.basisPoints > 0 ? rollout : null;
  }

  /** `scope`: whether the figures are the fleet's (REDIS_URL, last poll answered) or this instance's. */
  private trip(reason: HaltReason, mode: OrdersMode, reading: RateReading, scope: WindowScope): void {
    // At once, here: no further user is moved by this instance while the shared write is on its way.
    this.halted = true;
    this.options.metrics.halted.set(1);
    this.options.metrics.halts.inc({ reason });
    const { samples, bad, rate, threshold, windowMs, minSamples } = reading;
    const figures = { mode, rate, samples, bad, threshold, windowMs, minSamples };
    const record: HaltRecord = {
      reason,
      by: this.options.instance,
      at: new Date(this.now()).toISOString(),
      figures,
    };
    this.options.logger.error(
      { event: 'rollout_halted', reason, ...figures, scope, instance: this.options.instance },
      `rollout halted: ${reason} ${rate.toFixed(3)} (${bad}/${samples} over ${windowMs} ms) reached ${threshold}; everyone is served ORDERS_BACKEND until an operator resumes`,
    );
    this.writing = this.options.store.halt(record).then(
      (change) => {
        this.current = change.current;
        this.writing = null;
      },
      (error: unknown) => {
        this.unshared = record;
        this.writing = null;
        this.options.logger.warn(
          { event: 'rollout_halt_unshared', err: error instanceof Error ? error.message : String(error) },
          'rollout halted on this instance only: the shared state could not be written; retrying at each poll',
        );
      },
    );
  }

  private apply(stored: StoredHalt | null): void {
    const seen = this.current?.generation ?? 0;
    if (stored === null) {
      // The key is gone (deleted by hand): nothing is halted any more, as after a resume.
      if (this.current !== null && this.current.state === 'halted') this.resumed(null);
      this.current = null;
      return;
    }
    if (stored.generation === seen && stored.state === this.current?.state) {
      // Nothing new, but a halt in force holds here whatever happened locally.
      if (stored.state === 'halted' && !this.halted) this.enterHalt(stored);
      return;
    }
    this.current = stored;
    if (stored.state === 'halted') {
      if (!this.halted) this.enterHalt(stored);
    } else {
      this.resumed(stored);
    }
  }

  /** A halt learned from the shared state: another instance's, or an operator's. */
  private enterHalt(stored: StoredHalt): void {
    this.halted = true;
    const reason = stored.record.reason ?? 'operator';
    this.options.metrics.halted.set(1);
    this.options.metrics.halts.inc({ reason });
    this.options.logger.warn(
      {
        event: 'rollout_halt_applied',
        reason,
        by: stored.record.by,
        at: stored.record.at,
        generation: stored.generation,
        instance: this.options.instance,
      },
      `rollout halted by ${stored.record.by} (${reason}); everyone is served ORDERS_BACKEND`,
    );
  }

  private resumed(stored: StoredHalt | null): void {
    const wasHalted = this.halted;
    this.halted = false;
    this.options.metrics.halted.set(0);
    // Fresh windows: the errors that caused the halt must not halt again the moment it is lifted.
    this.errors.reset();
    this.mismatches.reset();
    if (wasHalted) {
      this.options.logger.info(
        {
          event: 'rollout_resumed',
          by: stored?.record.by ?? 'unknown',
          note: stored?.record.note,
          generation: stored?.generation ?? 0,
          instance: this.options.instance,
        },
        'rollout resumed',
      );
    }
  }
}
