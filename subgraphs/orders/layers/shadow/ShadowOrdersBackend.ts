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

export interface ShadowOrdersBackendOptions {
  /** Answers every call; its answer, and only its, is what the caller gets. */
  primary: OrdersBackend;
  /** The history read in the background. Built on its own upstream clients (selectOrdersBackend). */
  shadow: OrderHistorySource;
  shadowMode: OrdersMode;
  /** Which mode served a call (rollout, staff override): a call the shadow's own mode served is skipped. */
  servedMode: (query: OrderPageQuery, context: CallContext) => OrdersMode;
  config: Pick<ShadowConfig, 'sampleRate' | 'timeoutMs' | 'maxConcurrent'>;
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

  constructor(private readonly options: ShadowOrdersBackendOptions) {
    this.random = options.random ?? Math.random;
    this.deadline = options.deadline ?? ((ms) => AbortSignal.timeout(ms));
    this.detach = options.detach ?? ((work) => void setImmediate(work));
  }

  async listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    const page = await this.options.primary.listOrders(query, context);
    if (this.random() < this.options.config.sampleRate) {
      this.detach(() => this.startShadowRead(query, context, page));
    }
    return page;
  }

  getOrders(numbers: readonly string[], context: CallContext): Promise<(Order | null | Error)[]> {
    return this.options.primary.getOrders(numbers, context);
  }

  private startShadowRead(query: OrderPageQuery, context: CallContext, primaryPage: OrderPage): void {
    const { shadowMode, servedMode, config } = this.options;
    let served: OrdersMode;
    try {
      served = servedMode(query, context);
    } catch {
      return this.count('error');
    }
    // The same backend twice, or a page missing a failed system's orders: a diff would only be noise.
    if (served === shadowMode || (primaryPage.failures?.length ?? 0) > 0) return this.count('skipped');
    if (this.inFlight >= config.maxConcurrent) return this.count('dropped');
    this.inFlight++;
    void this.compare(query, context, primaryPage, served)
      .then(
        (outcome) => {
          this.count(outcome);
          if (outcome === 'match' || outcome === 'mismatch')
            this.options.onCompared?.(outcome === 'mismatch');
        },
        () => this.count('error'),
      )
      .finally(() => this.inFlight--);
  }

  private async compare(
    query: OrderPageQuery,
    context: CallContext,
    primaryPage: OrderPage,
    served: OrdersMode,
  ): Promise<ShadowOutcome> {
    const signal = this.deadline(this.options.config.timeoutMs);
    try {
      // Not the caller's signal: the caller may be gone by now, and the shadow keeps its own deadline.
      const shadowContext: CallContext = { identity: context.identity, requestId: context.requestId, signal };
      const shadowPage = await untilAborted(this.options.shadow.listOrders(query, shadowContext), signal);
      if ((shadowPage.failures?.length ?? 0) > 0) return 'error';
      const diff = diffOrderLists(primaryPage.orders, shadowPage.orders);
      recordDiff(this.options.metrics, this.options.shadowMode, diff);
      const countDiffers = primaryPage.count !== shadowPage.count;
      this.logMismatches(
        query,
        context,
        served,
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
    diff: OrderListDiff,
    counts: [primary: number, shadow: number] | null,
  ): void {
    const base = {
      event: 'orders_shadow_mismatch',
      user: usernameHash(query.username),
      requestId: context.requestId,
      primary: served,
      shadow: this.options.shadowMode,
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

  private count(outcome: ShadowOutcome): void {
    this.options.metrics.reads.inc({ shadow: this.options.shadowMode, outcome });
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
