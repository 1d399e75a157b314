import { Registry } from 'prom-client';
import { parseOrdersConfig } from '../../../../../../subgraphs/orders/config/ordersConfig';
import {
  selectOrdersBackend,
  type SelectedBackend,
} from '../../../../../../subgraphs/orders/selectOrdersBackend';
import { capturedLogger } from '../../../../../helpers/capturedLogger';
import { flagFile, flagsAt } from '../../../../../helpers/rolloutFlagFile';
import { learner } from '../../../../../helpers/startShadowedBackend';
import { startTwinSimulators, type TwinSimulators } from '../../../../../helpers/startTwinSimulators';

// The shadow's mode and sample rate are flags: the layer is there as soon as the vendor is configured,
// costs nothing while off or sampled at 0, and a file edit turns it on and off without a restart.

const LEARNER = 'learner1';
const query = { username: LEARNER, page: 1, pageSize: 20 };

let twins: TwinSimulators;
let selected: SelectedBackend | undefined;
afterAll(async () => {
  await selected?.flags.close();
  await Promise.all(selected?.upstreams.map((u) => u.close()) ?? []);
  await twins?.close();
});

it('reads the shadow only while a flag says so, at the rate it says', async () => {
  twins = await startTwinSimulators([LEARNER]);
  const file = flagFile(flagsAt(0));
  const log = capturedLogger();
  const registry = new Registry();
  let draws = 0;
  const random = () => (draws++, 0);
  selected = selectOrdersBackend(
    parseOrdersConfig({ ...twins.env, ORDERS_FLAGS_FILE: file.path }),
    log.logger,
    {},
    { registry, random },
  );
  await selected.flags.ready();
  const reads = async () => {
    const metric = registry.getSingleMetric('switchyard_orders_shadow_reads_total');
    const values = metric ? (await metric.get()).values : [];
    return Object.fromEntries(values.map((v) => [`${v.labels.shadow}/${v.labels.outcome}`, v.value]));
  };
  const changes = () => log.lines.filter((l) => l.event === 'rollout_flags_changed').length;
  const edit = async (shadow: string, rate: number) => {
    const seen = changes();
    file.write(
      flagsAt(0, (f) => {
        f.flags['orders-shadow-mode']!.defaultVariant = shadow;
        f.flags['orders-shadow-sample-rate']!.variants = { rate };
      }),
    );
    await log.until(() => changes() > seen);
  };

  // The sample file: shadow off. Not even a random draw.
  for (let i = 0; i < 3; i++) await selected.backend.listOrders(query, learner(LEARNER));
  expect(draws).toBe(0);
  expect(await reads()).toEqual({});

  await edit('vendor', 1);
  for (let i = 0; i < 3; i++) await selected.backend.listOrders(query, learner(LEARNER));
  const deadline = Date.now() + 5000;
  while ((await reads())['vendor/match'] !== 3 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  expect(await reads()).toEqual({ 'vendor/match': 3 });
  expect(draws).toBe(3);

  await edit('vendor', 0);
  for (let i = 0; i < 3; i++) await selected.backend.listOrders(query, learner(LEARNER));
  expect(draws).toBe(3);
  expect(await reads()).toEqual({ 'vendor/match': 3 });
}, 40_000);
