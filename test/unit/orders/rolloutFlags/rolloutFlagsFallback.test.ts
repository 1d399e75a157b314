import {
  GeneralError,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { Registry } from 'prom-client';
import type { OrdersMode } from '../../../../subgraphs/orders/config/ordersMode';
import type { Order } from '../../../../subgraphs/orders/domain/Order';
import type { CallContext, OrderHistorySource } from '../../../../subgraphs/orders/port/OrdersBackend';
import { isInRollout } from '../../../../subgraphs/orders/layers/rollout/rolloutBucket';
import { FallbackLog } from '../../../../subgraphs/orders/layers/rollout/flags/FallbackLog';
import type { Deadline } from '../../../../subgraphs/orders/layers/rollout/flags/timerDeadline';
import {
  createRolloutFlags,
  type RolloutFlagsHandle,
} from '../../../../subgraphs/orders/layers/rollout/flags/createRolloutFlags';
import { envFlagsProvider } from '../../../../subgraphs/orders/layers/rollout/flags/envFlagsProvider';
import type { RolloutFlagValues } from '../../../../subgraphs/orders/layers/rollout/flags/rolloutFlagKeys';
import { capturedLogger } from '../../../helpers/capturedLogger';

// A provider outage, before and after good values, and values this deployment must not act on.

const history: OrderHistorySource = {
  listOrders: async () => ({ count: 1, orders: [{ number: 'x' } as Order] }),
};
const ALL: Record<OrdersMode, OrderHistorySource | null> = {
  legacy: history,
  vendor: history,
  merged: history,
};
const users = Array.from({ length: 400 }, (_, i) => `learner${i + 1}`);
const call = (): CallContext => ({ identity: { username: 'u', isStaff: false, token: 't' }, requestId: 'r' });
const VALUES: RolloutFlagValues = {
  killSwitch: false,
  rolloutMode: 'vendor',
  rolloutShare: 3000,
  shadowMode: 'vendor',
  shadowSampleRate: 0.5,
};

/** The environment's flags served by a provider that can be taken down (every resolution throws). */
class FlakyProvider implements Provider {
  readonly metadata = { name: 'flaky' };
  readonly runsOn = 'server';
  down = false;
  /** Every resolution waits forever, as calls to an unreachable daemon did for seconds. */
  hung = false;
  constructor(private inner: Provider) {}
  replace(values: Partial<RolloutFlagValues>) {
    this.inner = envFlagsProvider('legacy', { ...VALUES, ...values } as RolloutFlagValues);
  }
  private guard<T>(resolve: () => Promise<ResolutionDetails<T>>) {
    if (this.hung) return new Promise<ResolutionDetails<T>>(() => undefined);
    if (this.down) return Promise.reject(new GeneralError('provider unreachable'));
    return resolve();
  }
  resolveBooleanEvaluation(key: string, d: boolean, ctx: EvaluationContext) {
    return this.guard(() => this.inner.resolveBooleanEvaluation(key, d, ctx, console));
  }
  resolveNumberEvaluation(key: string, d: number, ctx: EvaluationContext) {
    return this.guard(() => this.inner.resolveNumberEvaluation(key, d, ctx, console));
  }
  resolveStringEvaluation(key: string, d: string, ctx: EvaluationContext) {
    return this.guard(() => this.inner.resolveStringEvaluation(key, d, ctx, console));
  }
  resolveObjectEvaluation<T extends JsonValue>(key: string, d: T, ctx: EvaluationContext) {
    return this.guard(() => this.inner.resolveObjectEvaluation(key, d, ctx, console));
  }
}

const opened: RolloutFlagsHandle[] = [];
afterAll(async () => void (await Promise.all(opened.map((h) => h.close()))));

/** Flags whose environment says vendor at 10 % (the fallback before any good value). */
function flagsWith(provider: Provider, histories = ALL, expire?: (ms: number) => Deadline) {
  const log = capturedLogger();
  const registry = new Registry();
  const handle = createRolloutFlags(
    {
      mode: 'legacy',
      rollout: { mode: 'vendor', basisPoints: 1000 },
      shadow: null,
      flags: { kind: 'flagd' },
    },
    histories,
    log.logger,
    { registry, provider, expire },
  );
  opened.push(handle);
  const decide = (u: string) => handle.flags.decide(u, call());
  const modes = () => Promise.all(users.map(async (u) => (await decide(u)).mode));
  const counted = async (outcome: 'ok' | 'fallback') => {
    const values = (await registry.getSingleMetric('switchyard_rollout_flag_evaluations_total')!.get())
      .values;
    const out: Record<string, number> = {};
    for (const v of values) if (v.labels.outcome === outcome) out[String(v.labels.flag)] = v.value;
    return out;
  };
  return { handle, log, registry, decide, modes, counted };
}
const at = (basisPoints: number, mode: OrdersMode = 'vendor') =>
  users.map((u) => (isInRollout(u, basisPoints) ? mode : 'legacy'));

describe('a provider outage', () => {
  it('keeps the last good values, counted and logged once per flag', async () => {
    const provider = new FlakyProvider(envFlagsProvider('legacy', VALUES));
    const { handle, log, decide, modes, counted } = flagsWith(provider);
    await handle.ready();
    expect(await modes()).toEqual(at(3000));
    expect(await decide('learner1')).toMatchObject({ shadow: { mode: 'vendor', sampleRate: 0.5 } });

    provider.down = true;
    expect(await modes()).toEqual(at(3000));
    expect(await decide('learner2')).toMatchObject({ shadow: { mode: 'vendor', sampleRate: 0.5 } });
    expect((await counted('fallback'))['orders-rollout-share']).toBe(users.length + 1);
    expect((await counted('fallback'))['orders-history-mode']).toBe(users.length + 1);
    const lines = log.lines.filter((l) => l.event === 'rollout_flag_fallback');
    expect(lines.map((l) => l.flag).sort()).toEqual([
      'orders-history-mode',
      'orders-rollout-kill-switch',
      'orders-rollout-mode',
      'orders-rollout-share',
      'orders-shadow-mode',
      'orders-shadow-sample-rate',
    ]);
    expect(lines.find((l) => l.flag === 'orders-rollout-share')).toMatchObject({
      reason: 'GENERAL',
      fallback: 3000,
      level: 40,
    });

    provider.down = false;
    provider.replace({ rolloutShare: 5000 });
    expect(await modes()).toEqual(at(5000));
  });

  it('before any good value, serves what the environment describes', async () => {
    const provider = new FlakyProvider(envFlagsProvider('legacy', VALUES));
    provider.down = true;
    const { handle, modes, decide, counted } = flagsWith(provider);
    await handle.ready();
    expect(await modes()).toEqual(at(1000));
    expect((await decide('learner1')).shadow).toBeNull();
    expect(await counted('ok')).toEqual({});
  });

  it('a provider that never becomes ready: the environment, counted as PROVIDER_NOT_READY', async () => {
    const provider = new FlakyProvider(envFlagsProvider('legacy', VALUES));
    const pending = Object.assign(provider, { initialize: () => new Promise<void>(() => undefined) });
    const { modes, log } = flagsWith(pending);
    expect(await modes()).toEqual(at(1000));
    expect(log.lines.find((l) => l.flag === 'orders-rollout-share')).toMatchObject({
      reason: 'PROVIDER_NOT_READY',
    });
  });
});

describe('a provider that hangs', () => {
  it('holds a read only until its deadline, then serves the last good values, counted as TIMEOUT', async () => {
    const provider = new FlakyProvider(envFlagsProvider('legacy', VALUES));
    const deadlines: { ms: number; fire: () => void; cancelled: boolean }[] = [];
    const expire = (ms: number): Deadline => {
      let fire = () => undefined as void;
      const expired = new Promise<void>((resolve) => (fire = resolve));
      const entry = { ms, fire, cancelled: false };
      deadlines.push(entry);
      return { expired, cancel: () => void (entry.cancelled = true) };
    };
    const { handle, decide, counted, log } = flagsWith(provider, ALL, expire);
    await handle.ready();
    const good = await decide('learner2');
    expect(good).toEqual({ mode: 'vendor', shadow: { mode: 'vendor', sampleRate: 0.5 } });
    expect(deadlines.at(-1)).toMatchObject({ ms: 100, cancelled: true });

    provider.hung = true;
    const waiting = decide('learner2');
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    deadlines.at(-1)!.fire();
    expect(await waiting).toEqual(good);
    const fallbacks = await counted('fallback');
    expect(fallbacks).toEqual({
      'orders-rollout-kill-switch': 1,
      'orders-rollout-share': 1,
      'orders-rollout-mode': 1,
      'orders-shadow-mode': 1,
      'orders-history-mode': 1,
    });
    expect(log.lines.filter((l) => l.reason === 'TIMEOUT')).toHaveLength(5);
  });
});

describe('values the deployment must not act on', () => {
  it.each([
    ['a share above 10000', { rolloutShare: 20_000 }, 'orders-rollout-share', 'INVALID_VALUE'],
    ['a fractional share', { rolloutShare: 12.5 }, 'orders-rollout-share', 'INVALID_VALUE'],
    ['a sample rate above 1', { shadowSampleRate: 2 }, 'orders-shadow-sample-rate', 'INVALID_VALUE'],
    // The in-memory provider itself refuses a variant it does not have.
    [
      'a mode that is no mode',
      { rolloutMode: 'commercetools' as OrdersMode },
      'orders-rollout-mode',
      'GENERAL',
    ],
  ])('falls back on %s', async (_label, bad, flag, reason) => {
    const provider = new FlakyProvider(envFlagsProvider('legacy', VALUES));
    const { handle, modes, decide, counted, log } = flagsWith(provider);
    await handle.ready();
    const before = await modes();
    provider.replace(bad);
    expect(await modes()).toEqual(before);
    expect(await decide('learner9')).toMatchObject({ shadow: { mode: 'vendor', sampleRate: 0.5 } });
    expect((await counted('fallback'))[flag]).toBe(users.length + 1);
    expect(log.lines.find((l) => l.flag === flag)).toMatchObject({ reason });
  });

  it('never moves anyone to a mode this deployment cannot serve (no vendor configured)', async () => {
    const noVendor = { legacy: history, vendor: null, merged: null };
    const provider = new FlakyProvider(envFlagsProvider('legacy', VALUES));
    const { handle, modes, decide } = flagsWith(provider, noVendor);
    await handle.ready();
    expect(new Set(await modes())).toEqual(new Set(['legacy']));
    expect((await decide('learner1')).shadow).toBeNull();
  });
});

describe('FallbackLog', () => {
  it('logs a flag once per interval, then says how many it suppressed', () => {
    const log = capturedLogger();
    let now = 1_000_000;
    const fallbacks = new FallbackLog(log.logger, () => now, 60_000);
    for (let i = 0; i < 100; i++) fallbacks.report('orders-rollout-share', 'GENERAL', 3000);
    fallbacks.report('orders-history-mode', 'GENERAL', 'legacy');
    expect(log.lines.map((l) => [l.flag, l.suppressed])).toEqual([
      ['orders-rollout-share', 0],
      ['orders-history-mode', 0],
    ]);
    now += 59_999;
    fallbacks.report('orders-rollout-share', 'GENERAL', 3000);
    expect(log.lines).toHaveLength(2);
    now += 1;
    fallbacks.report('orders-rollout-share', 'GENERAL', 3000);
    expect(log.lines.at(-1)).toMatchObject({ flag: 'orders-rollout-share', suppressed: 100 });
  });
});

describe('the evaluation context', () => {
  it('holds only bounded, non-secret attributes: no token, the username cut at 256 characters', async () => {
    const seen: EvaluationContext[] = [];
    const provider = new FlakyProvider(envFlagsProvider('legacy', VALUES));
    const spy = Object.assign(provider, {
      resolveStringEvaluation(key: string, d: string, ctx: EvaluationContext) {
        seen.push(ctx);
        return envFlagsProvider('legacy', VALUES).resolveStringEvaluation(key, d, ctx, console);
      },
    });
    const { handle } = flagsWith(spy);
    await handle.ready();
    seen.length = 0;
    const long = 'x'.repeat(10_000);
    await handle.flags.decide(long, {
      identity: { username: 'support', isStaff: true, token: 'secret-token' },
      requestId: 'r',
    });
    expect(seen.length).toBeGreaterThan(0);
    for (const ctx of seen) {
      expect(Object.keys(ctx).sort()).toEqual(
        expect.arrayContaining(['ordersBackend', 'rolloutBucket', 'staff', 'targetingKey']),
      );
      expect(
        Object.keys(ctx).every((k) =>
          ['ordersBackend', 'rolloutBucket', 'staff', 'targetingKey', 'rolloutShare', 'rolloutMode'].includes(
            k,
          ),
        ),
      ).toBe(true);
      expect(JSON.stringify(ctx)).not.toContain('secret-token');
      expect(String(ctx.targetingKey)).toHaveLength(256);
      expect(ctx.staff).toBe(true);
    }
  });
});
