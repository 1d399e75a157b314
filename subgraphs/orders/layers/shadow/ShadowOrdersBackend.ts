import type { Logger } from 'pino';
import type { OrderPage, Order } from '../../domain/Order';
import type { ShadowConfig } from '../../config/layersConfig';
import type { OrdersMode } from '../../config/ordersMode';
import type {
  CallContext,
  OrderHistorySource,
  OrderPageQuery,
  OrdersBackend,
} from '../../port/OrdersBackend';
import { diffOrderLists, type OrderListDiff } from './diffOrderLists';
import { recordDiff, type ShadowMetrics, type ShadowOutcome } from './ShadowMetrics';
import { usernameHash } from './usernameHash';

/** Which mode a call's shadow read uses, from which history, sampled at which rate. */
export interface ShadowTarget {
  mode: OrdersMode;
  history: OrderHistorySource;
  sampleRate: number;
}

export interface ShadowOrdersBackendOptions {
  /** Answers every call; its answer, and only its, is what the caller gets. */
  primary: OrdersBackend;
  /**
   * The history read in the background, fixed (ORDERS_SHADOW_BACKEND), sampled at `config.sampleRate`.
   * Built on its own upstream clients (selectOrdersBackend). Ignored when `targetFor` is given.
   */
  shadow?: OrderHistorySource;
  shadowMode?: OrdersMode;
  /**
   * Per call, after the primary answered: the shadow to read, or null for none (the rollout flags'
   * `orders-shadow-mode` and sample rate, already evaluated for this call). Replaces the fixed shadow.
   */
  targetFor?: (query: OrderPageQuery, context: CallContext) => ShadowTarget | null;
  /** Which mode served a call (rollout, staff override): a call the shadow's own mode served is skipped. */
  servedMode: (query: OrderPageQuery, context: CallContext) => OrdersMode;
  config: Pick<ShadowConfig, 'timeoutMs' | 'maxConcurrent'> & { sampleRate?: number };
  metrics: ShadowMetrics;
  logger: Logger;
  /** @default Math.random */
  random?: () => number;
  /** The shadow read's deadline; injected in tests to fire it by hand. @default AbortSignal.timeout */
  deadline?: (ms: number) => AbortSignal;
  /** Starts work after the current call has returned. @default setImmediate */
  detach?: (work: () => void) => void;
  /** Told of each finished comparison (the guardrails' mismatch rate); not of timeouts, errors or skips. */
  onCompared?: (mismatch: boolean) => void;
}

/**
 * A layer on the port that serves every call from `primary` and, for a sample of history reads,
 * re-reads the same page from `shadow` afterwards, diffs the normalised orders and reports the
 * differences (metrics, one log line per differing order). Nothing the shadow does reaches the caller:
 * it starts only once the primary has answered, is never awaited, has its own deadline and its own
 * concurrency cap (a full cap drops the read rather than queueing it), and every failure is counted
 * and swallowed. Single-order lookups are passed through untouched.
 */
export class ShadowOrdersBackend implements OrdersBackend {
  private inFlight = 0;
  private readonly random: () => number;
  private readonly deadline: (ms: number) => AbortSignal;
  private readonly detach: (work: () => void) => void;
  private readonly targetFor: (query: OrderPageQuery, context: CallContext) => ShadowTarget | null;

  constructor(private readonly options: ShadowOrdersBackendOptions) {
    const { shadow, shadowMode, targetFor } = options;
    if (targetFor) this.targetFor = targetFor;
    else if (shadow && shadowMode) {
      const fixed = { mode: shadowMode, history: shadow, sampleRate: options.config.sampleRate ?? 0 };
      this.targetFor = () => fixed;
    } else throw new Error('ShadowOrdersBackend needs targetFor, or shadow and shadowMode');
    this.random = options.random ?? Math.random;
    this.deadline = options.deadline ?? ((ms) => AbortSignal.timeout(ms));
    this.detach = options.detach ?? ((work) => void setImmediate(work));
  }

  async listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    const page = await this.options.primary.listOrders(query, context);
    const target = this.targetFor(query, context);
    // Off, or sampled at 0: nothing more than the flags' evaluation, not even a random number.
    if (target && target.sampleRate > 0 && this.random() < target.sampleRate) {
      this.detach(() => this.startShadowRead(query, context, page, target));
    }
    return page;
  }

  getOrders(numbers: readonly string[], context: CallContext): Promise<(Order | null | Error)[]> {
    return this.options.primary.getOrders(numbers, context);
  }

  private startShadowRead(
    query: OrderPageQuery,
    context: CallContext,
    primaryPage: OrderPage,
    target: ShadowTarget,
  ): void {
    const { servedMode, config } = this.options;
    const count = (outcome: ShadowOutcome) => this.count(target.mode, outcome);
    let served: OrdersMode;
    try {
      served = servedMode(query, context);
    } catch {
      return count('error');
    }
    // The same backend twice, or a page missing a failed system's orders: a diff would only be noise.
    if (served === target.mode || (primaryPage.failures?.length ?? 0) > 0) return count('skipped');
    if (this.inFlight >= config.maxConcurrent) return count('dropped');
    this.inFlight++;
    void this.compare(query, context, primaryPage, served, target)
      .then(
        (outcome) => {
          count(outcome);
          if (outcome === 'match' || outcome === 'mismatch')
            this.options.onCompared?.(outcome === 'mismatch');
        },
        () => count('error'),
      )
      .finally(() => this.inFlight--);
  }

  private async compare(
    query: OrderPageQuery,
    context: CallContext,
    primaryPage: OrderPage,
    served: OrdersMode,
    target: ShadowTarget,
  ): Promise<ShadowOutcome> {
    const signal = this.deadline(this.options.config.timeoutMs);
    try {
      // Not the caller's signal: the caller may be gone by now, and the shadow keeps its own deadline.
      const shadowContext: CallContext = { identity: context.identity, requestId: context.requestId, signal };
      const shadowPage = await untilAborted(target.history.listOrders(query, shadowContext), signal);
      if ((shadowPage.failures?.length ?? 0) > 0) return 'error';
      const diff = diffOrderLists(primaryPage.orders, shadowPage.orders);
      recordDiff(this.options.metrics, target.mode, diff);
      const countDiffers = primaryPage.count !== shadowPage.count;
      this.logMismatches(
        query,
        context,
        served,
        target.mode,
        diff,
        countDiffers ? [primaryPage.count, shadowPage.count] : null,
      );
      const differs =
        countDiffers ||
        diff.mismatched.length + diff.missingInShadow.length + diff.missingInPrimary.length > 0;
      return differs ? 'mismatch' : 'match';
    } catch (error) {
      if (signal.aborted) return 'timeout';
      this.options.logger.debug(
        { err: error instanceof Error ? error.message : String(error), requestId: context.requestId },
        'orders shadow read failed',
      );
      return 'error';
    }
  }

  /** One line per differing order; never a username, field values or anything else personal. */
  private logMismatches(
    query: OrderPageQuery,
    context: CallContext,
    served: OrdersMode,
    shadow: OrdersMode,
    diff: OrderListDiff,
    counts: [primary: number, shadow: number] | null,
  ): void {
    const base = {
      event: 'orders_shadow_mismatch',
      user: usernameHash(query.username),
      requestId: context.requestId,
      primary: served,
      shadow,
      page: query.page,
      pageSize: query.pageSize,
    };
    const log = (fields: Record<string, unknown>) =>
      this.options.logger.warn({ ...base, ...fields }, 'orders shadow mismatch');
    for (const m of diff.mismatched) {
      log({ kind: 'fields', orderNumber: m.number, fields: m.differences.map((d) => d.field) });
    }
    for (const number of diff.missingInShadow) log({ kind: 'missing_in_shadow', orderNumber: number });
    for (const number of diff.missingInPrimary) log({ kind: 'missing_in_primary', orderNumber: number });
    if (counts) log({ kind: 'count', primaryCount: counts[0], shadowCount: counts[1] });
  }

  private count(shadow: OrdersMode, outcome: ShadowOutcome): void {
    this.options.metrics.reads.inc({ shadow, outcome });
  }
}

/**
 * Settles when `work` does or when `signal` aborts, whichever is first. Not every wait inside a
 * backend honours a caller's signal (the vendor token fetch is shared on purpose), and a shadow slot
 * must be freed at its deadline regardless; abandoned work finishes on its own, its result ignored.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
