import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';

export interface BreakerEvent {
  component: string;
  upstream: string;
  state: 'open' | 'halfOpen' | 'closed';
  /** performance.now() when the kit logged the transition. */
  at: number;
}

/**
 * Breaker transitions as the kit logs them (`breaker open`, …), caught from the stack's own loggers.
 * Logging is synchronous and in-process, so a listener sees the exact moment and can read simulator
 * counters right then: polling `/status` over HTTP would queue behind the very load being measured.
 */
export class BreakerLog {
  readonly events: BreakerEvent[] = [];
  private readonly listeners: ((event: BreakerEvent) => void)[] = [];

  /** A logger for one component; only breaker lines are kept, the rest is dropped unparsed. */
  logger(component: string): Logger {
    return pino(
      { level: 'info' },
      {
        write: (line: string) => {
          if (!line.includes('"breaker"')) return;
          const parsed = JSON.parse(line) as { upstream?: string; breaker?: BreakerEvent['state'] };
          if (!parsed.upstream || !parsed.breaker) return;
          const event = {
            component,
            upstream: parsed.upstream,
            state: parsed.breaker,
            at: performance.now(),
          };
          this.events.push(event);
          for (const listener of this.listeners) listener(event);
        },
      },
    );
  }

  onEvent(listener: (event: BreakerEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Transitions of one upstream's breaker, optionally only those after `since`. */
  of(upstream: string, since = 0): BreakerEvent[] {
    return this.events.filter((e) => e.upstream === upstream && e.at >= since);
  }
}
