import type { ChaosExperiment } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';
import { startChaosStack } from '../startChaosStack';

const KEYS = 14;
const MAX_BATCH = 4;
const LIST_ROUTE = 'course_runs.list';

/**
 * T14: 14 distinct course runs in one request reach discovery as ⌈14 / CATALOG_MAX_BATCH_SIZE⌉ calls
 * (one DataLoader tick, split by the batch cap), and a failed batch is not remembered: once the
 * fault is gone the same request succeeds. Kept to 14 aliases so an alias limit of 15 (graphql-armor's
 * default) cannot turn this into a test of the limit.
 */
export const dataloaderBatches: ChaosExperiment = {
  id: 'T14',
  title: 'dataloader: one call per batch of keys; failed batches not cached',
  async run() {
    const record = new ExperimentRecord(this.id, this.title);
    const chaos = await startChaosStack({ CATALOG_MAX_BATCH_SIZE: String(MAX_BATCH) });
    try {
      const keys = chaos.seed.courseRuns.slice(0, KEYS).map((run) => run.key);
      const query = `{ ${keys.map((key, i) => `r${i}: courseRun(key: ${JSON.stringify(key)}) { title }`).join(' ')} }`;
      const calls = () => chaos.discovery.stats().byRoute[LIST_ROUTE] ?? 0;
      const titles = (data: Record<string, unknown> | null | undefined) =>
        Object.values(data ?? {}).filter(
          (run) => typeof (run as { title?: unknown } | null)?.title === 'string',
        ).length;

      let before = calls();
      const first = await chaos.gateway.send(query);
      record.equals('titlesReturned', titles(first.data), KEYS);
      record.equals('discoveryCalls', calls() - before, Math.ceil(KEYS / MAX_BATCH));

      // A 500 is not retried (it may have been acted on), so each batch is one call here too.
      chaos.discovery.setFaults({ errorRate: 1, errorStatus: 500 });
      before = calls();
      const failed = await chaos.gateway.send(query);
      record.equals('titlesWhileFailing', titles(failed.data), 0);
      record.atLeast('errorsWhileFailing', failed.errors?.length ?? 0, 1);
      record.equals('discoveryCallsWhileFailing', calls() - before, Math.ceil(KEYS / MAX_BATCH));

      chaos.discovery.clearFaults();
      before = calls();
      const again = await chaos.gateway.send(query);
      record.equals('titlesAfterFaultCleared', titles(again.data), KEYS);
      record.equals('discoveryCallsAfterFaultCleared', calls() - before, Math.ceil(KEYS / MAX_BATCH));
    } finally {
      await chaos.stop();
    }
    return record.result();
  },
};
