import type { EvaluationDetails, FlagValue } from '@openfeature/server-sdk';
import type { OrdersMode } from '../../../config/ordersMode';
import { isOrdersMode } from '../../../config/ordersMode';
import type { CallContext } from '../../../port/OrdersBackend';
import { ROLLOUT_BUCKETS, rolloutBucket } from '../rolloutBucket';
import type { RolloutDecision } from './RolloutDecision';
import { showShare } from './RolloutFlagMetrics';
import type { RolloutFlagsOptions } from './RolloutFlagsOptions';
import {
  ROLLOUT_FLAGS,
  SHADOW_OFF,
  type HistoryModeContext,
  type RolloutContext,
  type RolloutFlagValues,
} from './rolloutFlagKeys';
import { timerDeadline } from './timerDeadline';

/**
 * The most of a username handed to the flags. Open edX usernames are far shorter (Django's limit is
 * 150), so no override can need more; the bucket is still computed on the whole username.
 */
export const MAX_TARGETING_KEY = 256;

/** Whether a read's evaluations still count: not once the read gave up waiting for them. */
interface Tally {
  counting: boolean;
}
const UNCOUNTED: Tally = { counting: false };

/** The flags with one value for everyone (in practice), hence a last good value worth keeping. */
type ValueName = keyof RolloutFlagValues;

/**
 * Evaluates the rollout flags per history read (the owner's username is the targeting key) and keeps
 * the answer for the rest of the call, so each flag is evaluated at most once per read and the layers
 * that ask later (the shadow's "which mode served?") get the same answer synchronously.
 *
 * A flag that fails to evaluate (error, wrong type, a value this deployment cannot serve, a missing
 * flag, a provider not ready, or too slow: the read's deadline) falls back to its last good value, or
 * before any to the environment's;
 * `orders-history-mode` falls back to its rule (bucket < share → rollout mode) on the share and mode in
 * force, as per-user answers cannot be remembered for every user. Counted and logged (rate-limited).
 */
export class RolloutFlags {
  private readonly lastGood: Partial<RolloutFlagValues> = {};
  /** Per call: one entry per history owner read in it (a request reads a handful). */
  private readonly pending = new WeakMap<CallContext, Map<string, Promise<RolloutDecision>>>();
  private readonly settled = new WeakMap<CallContext, Map<string, RolloutDecision>>();
  private shown: { mode: OrdersMode; share: number } | null = null;

  constructor(private readonly options: RolloutFlagsOptions) {}

  /** The decision for `username`'s history in this call, evaluated once per call and user. */
  decide(username: string, context: CallContext): Promise<RolloutDecision> {
    if (this.options.constant) return Promise.resolve(this.constantDecision(username));
    let calls = this.pending.get(context);
    if (!calls) this.pending.set(context, (calls = new Map()));
    const known = calls.get(username);
    if (known) return known;
    const decision = this.evaluateWithin(username, context.identity.isStaff).then((d) => {
      let done = this.settled.get(context);
      if (!done) this.settled.set(context, (done = new Map()));
      done.set(username, d);
      return d;
    });
    calls.set(username, decision);
    return decision;
  }

  /** The decision `decide` reached in this call, if it has; never evaluates. */
  decided(username: string, context: CallContext): RolloutDecision | undefined {
    if (this.options.constant) return this.constantDecision(username);
    return this.settled.get(context)?.get(username);
  }

  /**
   * Without an evaluation in this call (not reached in practice: the rollout layer decides first), the
   * last good values' answer, uncounted.
   */
  lastKnown(username: string): OrdersMode {
    const value = this.lastValue;
    if (value('killSwitch')) return this.options.baseMode;
    return rolloutBucket(username) < value('rolloutShare') ? value('rolloutMode') : this.options.baseMode;
  }

  /**
   * The rollout in force as last evaluated, or null when nobody is moved by the share (0 %, the kill
   * switch, or a share onto ORDERS_BACKEND itself): what the guardrails judge, since they act only while
   * a rollout is above 0 %. Per-user overrides in the flag file are not a share and are not judged.
   */
  activeRollout(): { mode: OrdersMode; basisPoints: number } | null {
    if (this.lastValue('killSwitch')) return null;
    const mode = this.shown?.mode ?? this.lastValue('rolloutMode');
    const basisPoints = this.shown?.share ?? this.lastValue('rolloutShare');
    return basisPoints > 0 && mode !== this.options.baseMode ? { mode, basisPoints } : null;
  }

  /** The env provider's rule (envFlagsProvider.ts) on the environment's values, without the SDK. */
  private constantDecision(username: string): RolloutDecision {
    const { defaults, baseMode } = this.options;
    const share = defaults.rolloutShare;
    // The bucket (a sha256) only when the share splits users: 0 moves nobody, 10000 everybody.
    const moved =
      !defaults.killSwitch && share > 0 && (share >= ROLLOUT_BUCKETS || rolloutBucket(username) < share);
    const shadowOn = defaults.shadowMode !== SHADOW_OFF && defaults.shadowSampleRate > 0;
    return {
      mode: moved ? defaults.rolloutMode : baseMode,
      shadow: shadowOn
        ? { mode: defaults.shadowMode as OrdersMode, sampleRate: defaults.shadowSampleRate }
        : null,
    };
  }

  private readonly lastValue = <K extends ValueName>(name: K): RolloutFlagValues[K] =>
    this.lastGood[name] ?? this.options.defaults[name];

  /** Evaluates the share and its mode outside any request, for the gauge (start-up, file changes). */
  async refreshShare(): Promise<void> {
    const context: RolloutContext = {
      targetingKey: '',
      rolloutBucket: 0,
      staff: false,
      ordersBackend: this.options.baseMode,
    };
    const work = Promise.all([this.rolloutShare(context, UNCOUNTED), this.rolloutMode(context, UNCOUNTED)]);
    // Bounded like a read: start-up must not wait on an unreachable daemon's slow answers.
    const deadline = (this.options.expire ?? timerDeadline)(this.options.timeoutMs);
    try {
      const answer = await Promise.race([work, deadline.expired.then(() => null)]);
      const [share, mode] = answer ?? [this.lastValue('rolloutShare'), this.lastValue('rolloutMode')];
      this.show(mode, share);
    } finally {
      deadline.cancel();
    }
  }

  /** The read's flags, or, past the deadline, the last good values (counted and logged as TIMEOUT). */
  private async evaluateWithin(username: string, staff: boolean): Promise<RolloutDecision> {
    const tally: Tally = { counting: true };
    const work = this.evaluate(username, staff, tally);
    const deadline = (this.options.expire ?? timerDeadline)(this.options.timeoutMs);
    try {
      const first = await Promise.race([work, deadline.expired.then(() => null)]);
      if (first) return first;
    } finally {
      deadline.cancel();
    }
    // Late answers still refresh the last good values, but are no longer counted for this read.
    tally.counting = false;
    const value = this.lastValue;
    const mode = this.lastKnown(username);
    const shadowMode = value('shadowMode');
    const sampleRate = shadowMode === SHADOW_OFF ? 0 : value('shadowSampleRate');
    const fallbacks: [string, unknown][] = [
      [ROLLOUT_FLAGS.killSwitch, value('killSwitch')],
      [ROLLOUT_FLAGS.rolloutShare, value('rolloutShare')],
      [ROLLOUT_FLAGS.rolloutMode, value('rolloutMode')],
      [ROLLOUT_FLAGS.shadowMode, shadowMode],
      [ROLLOUT_FLAGS.historyMode, mode],
    ];
    for (const [key, fallback] of fallbacks) this.fellBack(key, 'TIMEOUT', fallback);
    const shadow = shadowMode !== SHADOW_OFF && sampleRate > 0 ? { mode: shadowMode, sampleRate } : null;
    return { mode, shadow };
  }

  private async evaluate(username: string, staff: boolean, tally: Tally): Promise<RolloutDecision> {
    const base: RolloutContext = {
      targetingKey: username.slice(0, MAX_TARGETING_KEY),
      rolloutBucket: rolloutBucket(username),
      staff,
      ordersBackend: this.options.baseMode,
    };
    const [killed, share, rolloutMode, shadowMode] = await Promise.all([
      this.flag('killSwitch', base, (v) => typeof v === 'boolean', tally),
      this.rolloutShare(base, tally),
      this.rolloutMode(base, tally),
      this.flag('shadowMode', base, (v) => v === SHADOW_OFF || this.isServableMode(v), tally),
    ]);
    this.show(rolloutMode, share);
    const shadowOn = shadowMode !== SHADOW_OFF;
    const [mode, sampleRate] = await Promise.all([
      killed ? this.options.baseMode : this.historyMode({ ...base, rolloutShare: share, rolloutMode }, tally),
      shadowOn
        ? this.flag('shadowSampleRate', base, (v) => typeof v === 'number' && v >= 0 && v <= 1, tally)
        : 0,
    ]);
    const shadow = shadowMode !== SHADOW_OFF && sampleRate > 0 ? { mode: shadowMode, sampleRate } : null;
    return { mode, shadow };
  }

  private rolloutShare(context: RolloutContext, tally: Tally): Promise<number> {
    const valid = (v: FlagValue) =>
      typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= ROLLOUT_BUCKETS;
    return this.flag('rolloutShare', context, valid, tally);
  }

  private rolloutMode(context: RolloutContext, tally: Tally): Promise<OrdersMode> {
    return this.flag('rolloutMode', context, this.isServableMode, tally);
  }

  private async historyMode(context: HistoryModeContext, tally: Tally): Promise<OrdersMode> {
    const rule = context.rolloutBucket < context.rolloutShare ? context.rolloutMode : null;
    const fallback = rule ?? this.options.baseMode;
    const details = await this.details(ROLLOUT_FLAGS.historyMode, fallback, context);
    const problem = this.problemWith(details, this.isServableMode);
    if (problem === null) {
      if (tally.counting)
        this.options.metrics.evaluations.inc({ flag: ROLLOUT_FLAGS.historyMode, outcome: 'ok' });
      return details!.value as OrdersMode;
    }
    if (tally.counting) this.fellBack(ROLLOUT_FLAGS.historyMode, problem, fallback);
    return fallback;
  }

  private readonly isServableMode = (v: FlagValue): boolean =>
    typeof v === 'string' && isOrdersMode(v) && this.options.servable(v);

  /** One flag: its value when good (remembered), else its last good value, or the environment's. */
  private async flag<K extends ValueName>(
    name: K,
    context: RolloutContext,
    valid: (v: FlagValue) => boolean,
    tally: Tally,
  ): Promise<RolloutFlagValues[K]> {
    const key = ROLLOUT_FLAGS[name];
    const fallback = this.lastGood[name] ?? this.options.defaults[name];
    const details = await this.details(key, fallback, context);
    const problem = this.problemWith(details, valid);
    if (problem === null) {
      const value = details!.value as RolloutFlagValues[K];
      this.lastGood[name] = value;
      if (tally.counting) this.options.metrics.evaluations.inc({ flag: key, outcome: 'ok' });
      return value;
    }
    if (tally.counting) this.fellBack(key, problem, fallback);
    return fallback;
  }

  /**
   * The default given to the SDK is the fallback itself: a provider answers it without an error for a
   * disabled flag, and flagd over RPC for a "default" resolution (no targeting match), where it is right.
   */
  private async details(
    key: string,
    fallback: boolean | number | string,
    context: RolloutContext | HistoryModeContext,
  ): Promise<EvaluationDetails<FlagValue> | null> {
    const { client } = this.options;
    try {
      if (typeof fallback === 'boolean') return await client.getBooleanDetails(key, fallback, context);
      if (typeof fallback === 'number') return await client.getNumberDetails(key, fallback, context);
      return await client.getStringDetails(key, fallback, context);
    } catch {
      // The SDK turns provider errors into error codes; a throw here is a bug in a hook or provider.
      return null;
    }
  }

  /** Null when the evaluation is good; else a short, bounded reason (an OpenFeature error code). */
  private problemWith(details: EvaluationDetails<FlagValue> | null, valid: (v: FlagValue) => boolean) {
    if (details === null) return 'GENERAL';
    if (details.errorCode) return String(details.errorCode);
    return valid(details.value) ? null : 'INVALID_VALUE';
  }

  private fellBack(key: string, reason: string, fallback: unknown): void {
    this.options.metrics.evaluations.inc({ flag: key, outcome: 'fallback' });
    this.options.log.report(key, reason, fallback);
  }

  private show(mode: OrdersMode, share: number): void {
    if (this.shown?.mode === mode && this.shown.share === share) return;
    this.shown = { mode, share };
    showShare(this.options.metrics, mode, share);
  }
}
