import { close, listen } from '../../../../../../platform/http/listen';
import { silentLogger } from '../../../../../../platform/createLogger';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import type { SubgraphServer } from '../../../../../../subgraphs/createSubgraphServer';
import { parseOrdersConfig } from '../../../../../../subgraphs/orders/config/ordersConfig';
import { createOrdersSubgraph } from '../../../../../../subgraphs/orders/createOrdersSubgraph';
import { isInRollout } from '../../../../../../subgraphs/orders/layers/rollout/rolloutBucket';
import { promSample } from '../../../../../helpers/promSample';
import { flagFile, flagsAt } from '../../../../../helpers/rolloutFlagFile';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// Issue 23: two orders instances read one flag file under load; the share goes from 0 to 20 % by
// editing the file (as a ConfigMap update does: a new file renamed over the old), with no restart.

const HISTORY = '{ orderHistory(pageSize: 5) { count orders { number } } }';
const LEARNERS = 200;
const seed = createSeed(undefined, { learners: LEARNERS });
// Those with legacy orders (all but two, who have none anywhere): an answer without EDX-… numbers
// then can only be the vendor's.
const learners = Array.from({ length: LEARNERS }, (_, i) => `learner${i + 1}`).filter((u) =>
  seed.orders.some((o) => o.username === u),
);

interface Instance {
  name: string;
  server: SubgraphServer;
  url: string;
}
type Mode = 'legacy' | 'vendor';
interface Served {
  instance: string;
  user: string;
  at: number;
  mode?: Mode;
  failure?: string;
}

let stack: TestStack;
const file = flagFile(flagsAt(0));
const instances: Instance[] = [];

beforeAll(async () => {
  // learner51… have legacy orders only, so every learner's legacy history is non-empty.
  stack = await startTestStack({}, { seed });
  for (const name of ['a', 'b']) {
    const config = parseOrdersConfig({ ...stack.upstreamEnv, ORDERS_FLAGS_FILE: file.path });
    const server = await createOrdersSubgraph(config, { logger: silentLogger() });
    instances.push({ name, server, url: await listen(server.httpServer, 0) });
  }
}, 60_000);
afterAll(async () => {
  for (const i of instances) {
    await close(i.server.httpServer, 100);
    await i.server.stop();
  }
  await stack?.stop();
});

/** One history read; the mode is told by the numbers: EDX-… are legacy's, vendor histories have none. */
async function read(instance: Instance, user: string): Promise<Served> {
  const at = Date.now();
  try {
    const response = await fetch(`${instance.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `JWT ${stack.token(user)}`,
        ...stack.subgraphHeaders,
      },
      body: JSON.stringify({ query: HISTORY }),
    });
    const body = (await response.json()) as {
      data?: { orderHistory: { orders: { number: string }[] } };
      errors?: unknown[];
    };
    if (response.status !== 200 || body.errors || !body.data) {
      return {
        instance: instance.name,
        user,
        at,
        failure: `${response.status} ${JSON.stringify(body.errors)}`,
      };
    }
    const legacy = body.data.orderHistory.orders.some((o) => o.number.startsWith('EDX-'));
    return { instance: instance.name, user, at, mode: legacy ? 'legacy' : 'vendor' };
  } catch (error) {
    return { instance: instance.name, user, at, failure: String(error) };
  }
}

/** Every learner on every instance, `concurrency` reads at a time. */
async function pass(concurrency = 8): Promise<Served[]> {
  const jobs = instances.flatMap((i) => learners.map((u) => () => read(i, u)));
  const out: Served[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) out.push(await job());
    }),
  );
  return out;
}

const shareOf = async (i: Instance) =>
  promSample(await i.server.metrics.metrics(), 'switchyard_rollout_share_basis_points', { mode: 'vendor' });

it('raises the share from 0 to 20 % under load on two instances: no restart, no failure, one answer per user', async () => {
  const before = await pass();
  expect(before.filter((s) => s.failure)).toEqual([]);
  expect(new Set(before.map((s) => s.mode))).toEqual(new Set(['legacy']));
  expect(await Promise.all(instances.map(shareOf))).toEqual([0, 0]);

  // Load keeps running while the file is swapped and until both instances show the new share.
  const served: Served[] = [];
  let loading = true;
  const load = (async () => {
    while (loading) served.push(...(await pass(4)));
  })();
  file.swap(flagsAt(2000));
  const deadline = Date.now() + 20_000;
  while ((await Promise.all(instances.map(shareOf))).some((s) => s !== 2000)) {
    if (Date.now() > deadline) throw new Error('the instances did not pick the edit up in time');
    await new Promise((r) => setTimeout(r, 100));
  }
  loading = false;
  await load;

  expect(served.filter((s) => s.failure)).toEqual([]);
  // Sticky while it changes: once an instance moved a user, it never moved them back.
  for (const instance of instances) {
    for (const user of learners) {
      const modes = served
        .filter((s) => s.instance === instance.name && s.user === user)
        .sort((x, y) => x.at - y.at)
        .map((s) => s.mode);
      expect(
        modes.slice(modes.indexOf('vendor') === -1 ? modes.length : modes.indexOf('vendor')),
      ).not.toContain('legacy');
    }
  }

  const after = await pass();
  expect(after.filter((s) => s.failure)).toEqual([]);
  const modeOn = (name: string, user: string) =>
    after.find((s) => s.instance === name && s.user === user)?.mode;
  const expected = learners.map((u) => (isInRollout(u, 2000) ? 'vendor' : 'legacy'));
  expect(learners.map((u) => modeOn('a', u))).toEqual(expected);
  expect(learners.map((u) => modeOn('b', u))).toEqual(expected);
  expect(learners.length).toBeGreaterThan(190);
  const moved = expected.filter((m) => m === 'vendor').length;
  expect(moved / learners.length).toBeGreaterThan(0.15);
  expect(moved / learners.length).toBeLessThan(0.25);
  for (const i of instances) {
    const text = await i.server.metrics.metrics();
    expect(
      promSample(text, 'switchyard_rollout_flag_evaluations_total', { outcome: 'fallback' }),
    ).toBeUndefined();
    expect(
      promSample(text, 'switchyard_rollout_flag_evaluations_total', {
        flag: 'orders-history-mode',
        outcome: 'ok',
      }),
    ).toBeGreaterThan(2 * learners.length);
  }
}, 90_000);
