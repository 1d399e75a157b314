import pino from 'pino';
import { Registry } from 'prom-client';
import type { OrdersMode } from '../../../../subgraphs/orders/config/ordersMode';
import type { Order } from '../../../../subgraphs/orders/domain/Order';
import type { CallContext, OrderHistorySource } from '../../../../subgraphs/orders/port/OrdersBackend';
import { isInRollout, rolloutBucket } from '../../../../subgraphs/orders/layers/rollout/rolloutBucket';
import {
  createRolloutFlags,
  type RolloutFlagsHandle,
} from '../../../../subgraphs/orders/layers/rollout/flags/createRolloutFlags';
import { capturedLogger } from '../../../helpers/capturedLogger';
import { flagFile, flagsAt } from '../../../helpers/rolloutFlagFile';

// The flag file through the real flagd provider (in process), as the orders subgraph reads it.

const history: OrderHistorySource = {
  listOrders: async () => ({ count: 1, orders: [{ number: 'x' } as Order] }),
};
const HISTORIES: Record<OrdersMode, OrderHistorySource | null> = {
  legacy: history,
  vendor: history,
  merged: history,
};
const users = Array.from({ length: 2000 }, (_, i) => `learner${i + 1}`);
const call = (username = 'someone', isStaff = false): CallContext => ({
  identity: { username, isStaff, token: 't' },
  requestId: 'r',
});

const opened: RolloutFlagsHandle[] = [];
afterAll(async () => void (await Promise.all(opened.map((h) => h.close()))));

async function fromFile(path: string, mode: OrdersMode = 'legacy'): Promise<RolloutFlagsHandle> {
  const handle = createRolloutFlags(
    { mode, rollout: null, shadow: null, flags: { kind: 'file', path } },
    HISTORIES,
    pino({ level: 'silent' }),
    { registry: new Registry() },
  );
  opened.push(handle);
  await handle.ready();
  return handle;
}

function fromEnv(basisPoints: number): RolloutFlagsHandle {
  const handle = createRolloutFlags(
    {
      mode: 'legacy',
      rollout: { mode: 'vendor', basisPoints },
      shadow: null,
      flags: { kind: 'env' },
    },
    HISTORIES,
    pino({ level: 'silent' }),
    { registry: new Registry() },
  );
  opened.push(handle);
  return handle;
}

const modesOf = async (handle: RolloutFlagsHandle, who: readonly string[]) =>
  Promise.all(who.map(async (u) => (await handle.flags.decide(u, call(u))).mode));

describe('upgrading moves nobody', () => {
  it('pins these users at 30 %: their buckets and modes must never change', async () => {
    const file = flagFile(flagsAt(3000));
    const flags = await fromFile(file.path);
    // sha256(username), first 4 bytes, mod 10000: the bucket every earlier release used.
    const pinned: [string, number, OrdersMode][] = [
      ['learner2', 1179, 'vendor'],
      ['learner281', 2951, 'vendor'],
      ['learner18', 3027, 'legacy'],
      ['learner1', 3101, 'legacy'],
      ['learner3', 9838, 'legacy'],
    ];
    for (const [user, bucket, mode] of pinned) {
      expect(rolloutBucket(user)).toBe(bucket);
      expect((await flags.flags.decide(user, call(user))).mode).toBe(mode);
    }
  });

  it('a team at ORDERS_ROLLOUT_PERCENT=30 finds the same users moved with the flag file at 3000', async () => {
    const file = flagFile(flagsAt(3000));
    const [before, after] = [fromEnv(3000), await fromFile(file.path)];
    const [envModes, fileModes] = [await modesOf(before, users), await modesOf(after, users)];
    expect(fileModes).toEqual(envModes);
    // And both are what the code before flags decided: isInRollout at 3000 basis points.
    expect(fileModes).toEqual(users.map((u) => (isInRollout(u, 3000) ? 'vendor' : 'legacy')));
    const moved = fileModes.filter((m) => m === 'vendor').length / users.length;
    expect(moved).toBeGreaterThan(0.27);
    expect(moved).toBeLessThan(0.33);
  });

  it('raising the share only adds users', async () => {
    const moved: Set<string>[] = [];
    for (const share of [0, 500, 1000, 2000, 3000, 10_000]) {
      const flags = await fromFile(flagFile(flagsAt(share)).path);
      const modes = await modesOf(flags, users);
      moved.push(new Set(users.filter((_, i) => modes[i] === 'vendor')));
    }
    expect(moved[0]!.size).toBe(0);
    expect(moved.at(-1)!.size).toBe(users.length);
    for (let i = 1; i < moved.length; i++) {
      expect([...moved[i - 1]!].every((u) => moved[i]!.has(u))).toBe(true);
      expect(moved[i]!.size).toBeGreaterThan(moved[i - 1]!.size);
    }
  });

  it('keeps per-user overrides ahead of the share, and the kill switch ahead of both', async () => {
    const file = flagFile(flagsAt(10_000));
    const flags = await fromFile(file.path);
    expect((await flags.flags.decide('switchyard-keep-on-legacy', call())).mode).toBe('legacy');
    expect((await flags.flags.decide('learner3', call())).mode).toBe('vendor');
    const killed = await fromFile(
      flagFile(flagsAt(10_000, (f) => void (f.flags['orders-rollout-kill-switch']!.defaultVariant = 'on')))
        .path,
    );
    expect((await killed.flags.decide('switchyard-dogfood', call())).mode).toBe('legacy');
    expect((await killed.flags.decide('learner3', call())).mode).toBe('legacy');
  });
});

describe('the sample file', () => {
  it('sends the unmoved to ORDERS_BACKEND, whichever it is', async () => {
    const file = flagFile(
      flagsAt(2000, (f) => void (f.flags['orders-rollout-mode']!.defaultVariant = 'merged')),
    );
    const flags = await fromFile(file.path, 'vendor');
    expect(await modesOf(flags, users)).toEqual(
      users.map((u) => (isInRollout(u, 2000) ? 'merged' : 'vendor')),
    );
  });
});

describe('a disabled flag', () => {
  it("takes the environment's value before any good one: a disabled share moves nobody", async () => {
    const file = flagFile(flagsAt(5000, (f) => void (f.flags['orders-rollout-share']!.state = 'DISABLED')));
    const flags = await fromFile(file.path);
    expect(new Set(await modesOf(flags, users))).toEqual(new Set(['legacy']));
  });
});

describe('a flag file at start-up', () => {
  it.each(['missing', 'malformed'])('stops start-up naming ORDERS_FLAGS_FILE when %s', async (how) => {
    const file = flagFile(flagsAt(0));
    if (how === 'malformed') file.write('{"flags": {');
    const path = how === 'missing' ? `${file.path}.absent` : file.path;
    const handle = createRolloutFlags(
      { mode: 'legacy', rollout: null, shadow: null, flags: { kind: 'file', path } },
      HISTORIES,
      pino({ level: 'silent' }),
      { registry: new Registry() },
    );
    opened.push(handle);
    await expect(handle.ready()).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(
        how === 'missing'
          ? /ORDERS_FLAGS_FILE=".*absent": cannot be read .*File not found/
          : /ORDERS_FLAGS_FILE=".*": cannot be read as flagd flag definitions \(invalid flagd flag configuration\)/,
      ),
    });
  });
});

describe('editing the flag file', () => {
  const counts = async (registry: Registry, outcome: 'ok' | 'fallback') => {
    const metric = registry.getSingleMetric('switchyard_rollout_flag_evaluations_total');
    const values = metric ? (await metric.get()).values : [];
    return values.filter((v) => v.labels.outcome === outcome).reduce((n, v) => n + v.value, 0);
  };

  it('applies an in-place edit without a restart; a malformed edit keeps the previous definitions', async () => {
    const file = flagFile(flagsAt(0));
    const log = capturedLogger();
    const registry = new Registry();
    const handle = createRolloutFlags(
      { mode: 'legacy', rollout: null, shadow: null, flags: { kind: 'file', path: file.path } },
      HISTORIES,
      log.logger,
      { registry },
    );
    opened.push(handle);
    await handle.ready();
    const sample = users.slice(0, 300);
    expect(new Set(await modesOf(handle, sample))).toEqual(new Set(['legacy']));

    file.write(flagsAt(2000));
    await log.until((l) => l.event === 'rollout_flags_changed');
    const at20 = await modesOf(handle, sample);
    expect(at20).toEqual(sample.map((u) => (isInRollout(u, 2000) ? 'vendor' : 'legacy')));

    file.write('{"flags": { "orders-rollout-share": ');
    await log.until((l) => l.event === 'rollout_flags_provider' && /Error reading file/.test(String(l.msg)));
    expect(await modesOf(handle, sample)).toEqual(at20);
    expect(await counts(registry, 'fallback')).toBe(0);

    // Valid JSON, wrong contents: the share a string, the history rule gone. Last good values hold.
    const changes = log.lines.filter((l) => l.event === 'rollout_flags_changed').length;
    file.write(
      flagsAt(2000, (f) => {
        f.flags['orders-rollout-share']!.variants = { share: 'twenty percent' };
        delete f.flags['orders-history-mode'];
      }),
    );
    await log.until(() => log.lines.filter((l) => l.event === 'rollout_flags_changed').length > changes);
    expect(await modesOf(handle, sample)).toEqual(at20);
    expect(await counts(registry, 'fallback')).toBe(2 * sample.length);
    // Rate-limited: one line per flag, not one per request.
    const fallbacks = log.lines.filter((l) => l.event === 'rollout_flag_fallback');
    expect(fallbacks.map((l) => [l.flag, l.reason]).sort()).toEqual([
      ['orders-history-mode', 'FLAG_NOT_FOUND'],
      ['orders-rollout-share', 'TYPE_MISMATCH'],
    ]);
  }, 40_000);

  it('applies an atomic rename (a ConfigMap swap) without a restart', async () => {
    const file = flagFile(flagsAt(1000));
    const log = capturedLogger();
    const handle = createRolloutFlags(
      { mode: 'legacy', rollout: null, shadow: null, flags: { kind: 'file', path: file.path } },
      HISTORIES,
      log.logger,
      { registry: new Registry() },
    );
    opened.push(handle);
    await handle.ready();
    const sample = users.slice(0, 300);
    expect(await modesOf(handle, sample)).toEqual(
      sample.map((u) => (isInRollout(u, 1000) ? 'vendor' : 'legacy')),
    );
    file.swap(flagsAt(1000, (f) => void (f.flags['orders-rollout-mode']!.defaultVariant = 'merged')));
    await log.until((l) => l.event === 'rollout_flags_changed');
    expect(await modesOf(handle, sample)).toEqual(
      sample.map((u) => (isInRollout(u, 1000) ? 'merged' : 'legacy')),
    );
  }, 30_000);
});
