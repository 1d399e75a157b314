import { ErrorCode } from '../platform/ErrorCode';
import { UpstreamError } from './UpstreamError';

/**
 * Caps concurrent calls to one upstream (max in flight + a bounded queue) and fails the excess at
 * once with UPSTREAM_OVERLOADED. It sits outside the breaker on purpose: overflow says "we are busy",
 * not "the upstream is sick", so it must never count toward opening the breaker (opossum's own
 * `capacity` would, see docs/reference/resilience.md §1).
 */
export class Bulkhead {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  rejected = 0;

  constructor(
    private readonly upstream: string,
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.active >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxQueue) {
        this.rejected++;
        throw new UpstreamError(
          this.upstream,
          ErrorCode.UPSTREAM_OVERLOADED,
          `${this.upstream} has too many calls in flight`,
          { localOverload: true, neverSent: true },
        );
      }
      await this.waitForSlot(signal);
    }
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private waitForSlot(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }
}
