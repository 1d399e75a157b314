import type { Logger } from 'pino';

/** One line per flag per interval at most: a broken flag is evaluated on every request. */
export const FALLBACK_LOG_INTERVAL_MS = 60_000;

/**
 * Rate-limited `warn` lines for flag fallbacks: the first fallback of a flag is logged at once, the
 * next ones within `intervalMs` are only counted, and the next line says how many were suppressed.
 * Memory is one entry per flag key (a fixed set).
 */
export class FallbackLog {
  private readonly lastLogged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = FALLBACK_LOG_INTERVAL_MS,
  ) {}

  report(flag: string, reason: string, fallback: unknown): void {
    const now = this.now();
    const last = this.lastLogged.get(flag);
    if (last !== undefined && now - last < this.intervalMs) {
      this.suppressed.set(flag, (this.suppressed.get(flag) ?? 0) + 1);
      return;
    }
    this.lastLogged.set(flag, now);
    const suppressed = this.suppressed.get(flag) ?? 0;
    this.suppressed.set(flag, 0);
    this.logger.warn(
      { event: 'rollout_flag_fallback', flag, reason, fallback, suppressed },
      'rollout flag fell back to its last good value',
    );
  }
}
