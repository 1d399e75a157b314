import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import { ORDERS_MODE_OVERRIDE_HEADER } from '../../../../platform/http/forwardedHeaders';
import type { Order, OrderPage } from '../../domain/Order';
import type { RolloutConfig } from '../../config/layersConfig';
import type { OrdersMode } from '../../config/ordersMode';
import type {
  CallContext,
  OrderHistorySource,
  OrderPageQuery,
  OrdersBackend,
} from '../../port/OrdersBackend';
import { countsAgainstMode } from '../guardrails/countsAgainstMode';
import type { RolloutFlags } from './flags/RolloutFlags';
import { isInRollout } from './rolloutBucket';
import { staffModeOverride } from './staffModeOverride';

export interface RolloutOrdersBackendOptions {
  /** Serves single orders always (they are routed by number), and the history of `baseMode`. */
  base: OrdersBackend;
  /** ORDERS_BACKEND: the mode of everyone not moved. */
  baseMode: OrdersMode;
  /** Null when no rollout is configured: then only a staff override moves anyone. */
  rollout: Readonly<RolloutConfig> | null;
  /** The history of each mode, null where this deployment cannot serve it (no vendor configured). */
  histories: Readonly<Record<OrdersMode, OrderHistorySource | null>>;
  /**
   * The guardrails (layers/guardrails/RolloutGuard): while halted everyone not forced by staff is
   * served `baseMode`; every history read's outcome is reported to it. @default no guard
   */
  guard?: { isHalted(): boolean; recordServed(mode: OrdersMode, ok: boolean): void };
  /**
   * The rollout flags (selectOrdersBackend always gives them: a flag file, a flagd daemon, or the
   * environment as in-memory flags). Without them `rollout` decides, a fixed share.
   */
  flags?: RolloutFlags;
}

/**
 * A layer on the port that picks, per call, which mode's history answers: a staff override first,
 * then the rollout (a sticky share of users), else ORDERS_BACKEND. Adapters and resolvers know
 * nothing of it. Single orders are never moved: they go to the system that issued the number.
 */
export class RolloutOrdersBackend implements OrdersBackend {
  constructor(private readonly options: RolloutOrdersBackendOptions) {}

  /**
   * The mode serving `username`'s history in this call. The bucket is the history owner's, not the
   * caller's, so staff looking at a learner's orders see what that learner sees.
   */
  modeFor(username: string, context: CallContext): OrdersMode {
    const forced = staffModeOverride(context);
    if (forced) return forced;
    const { rollout, baseMode, guard, flags } = this.options;
    if (guard?.isHalted()) return baseMode;
    if (flags) return flags.decided(username, context)?.mode ?? flags.lastKnown(username);
    return rollout && isInRollout(username, rollout.basisPoints) ? rollout.mode : baseMode;
  }

  async listOrders(query: OrderPageQuery, context: CallContext): Promise<OrderPage> {
    // A staff member's bad header fails before anything is evaluated.
    staffModeOverride(context);
    // The flags once per read, before modeFor (synchronous) and the shadow layer read the decision.
    await this.options.flags?.decide(query.username, context);
    // Decided once, here: a halt arriving while this read is in flight does not move it.
    const mode = this.modeFor(query.username, context);
    const history = mode === this.options.baseMode ? this.options.base : this.options.histories[mode];
    if (!history) {
      // Only reachable through a staff override: configuration refuses a rollout it cannot serve.
      throw codedError(ErrorCode.BAD_USER_INPUT, `The ${mode} orders backend is not configured here`, {
        header: ORDERS_MODE_OVERRIDE_HEADER,
      });
    }
    const { guard } = this.options;
    if (!guard) return history.listOrders(query, context);
    try {
      const page = await history.listOrders(query, context);
      // A page missing a system's orders (merged) is a failure of the mode as far as a learner can tell.
      guard.recordServed(mode, (page.failures?.length ?? 0) === 0);
      return page;
    } catch (error) {
      if (countsAgainstMode(error, context)) guard.recordServed(mode, false);
      throw error;
    }
  }

  async getOrders(numbers: readonly string[], context: CallContext): Promise<(Order | null | Error)[]> {
    // Validated here too, so a staff member's typo fails the same way whatever they query.
    staffModeOverride(context);
    return this.options.base.getOrders(numbers, context);
  }
}
