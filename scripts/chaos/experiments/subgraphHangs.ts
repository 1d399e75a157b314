import type { ChaosExperiment } from '../ChaosExperiment';
import { alternateSlices, slicePairs } from '../alternateSlices';
import { chaosQueries, isPartial } from '../chaosQueries';
import { ExperimentRecord } from '../ExperimentRecord';
import { recordProbeUnaffected } from '../recordProbeUnaffected';
import { outcomeOf } from '../GraphQLClient';
import { runClosedLoop, runFixedRate, summarize, untilFirstOk } from '../runLoad';
import { startChaosStack } from '../startChaosStack';
import { startSideGateway, type SideGateway } from '../startSideGateway';

const DEADLINE_MS = 300;
const MIXED_PER_SEC = 10;
const PARTIAL = 'partial:UPSTREAM_TIMEOUT@orders';

/**
 * Gateway → subgraph: the orders subgraph hangs (fault proxy in front of ORDERS_SUBGRAPH_URL). A query
 * with an orders field and a catalog field must come back within the orders deadline with the
 * catalog data and a coded UPSTREAM_TIMEOUT naming `orders` (a partial response); catalog-only
 * queries must not notice. The gateway's orders breaker is kept out of the way (volume threshold
 * 10 000) so every mixed query meets the hang itself rather than an open breaker.
 */
export const subgraphHangs: ChaosExperiment = {
  id: 'GW',
  title: 'orders subgraph hangs: partial data + UPSTREAM_TIMEOUT(orders), catalog unaffected',
  async run(settings) {
    const record = new ExperimentRecord(this.id, this.title);
    const chaos = await startChaosStack();
    let side: SideGateway | undefined;
    try {
      side = await startSideGateway(chaos, {
        ORDERS_SUBGRAPH_TIMEOUT_MS: String(DEADLINE_MS),
        ORDERS_SUBGRAPH_BREAKER_VOLUME_THRESHOLD: '10000',
      });
      const { gateway, ordersProxy } = side;
      const q = chaosQueries(chaos.seed);
      const catalog = () => gateway.outcome(q.catalog);
      const mixed = async () => {
        const reply = await gateway.send(q.mixed);
        return isPartial(reply, 'UPSTREAM_TIMEOUT', 'orders') ? PARTIAL : outcomeOf(reply);
      };
      await runClosedLoop({ clients: 2, durationMs: 300, call: catalog });
      const steady = summarize(await runClosedLoop({ clients: 2, durationMs: 300, call: mixed }));
      record.equals('steadyMixedSuccessRate', steady.successRate, 1);

      const samples = await alternateSlices({
        pairs: slicePairs(settings.phaseMs),
        sliceMs: settings.phaseMs / slicePairs(settings.phaseMs),
        setFault: (on) => (on ? ordersProxy.setFaults({ hang: true }) : ordersProxy.clearFaults()),
        load: async (sliceMs) => {
          const [probe, load] = await Promise.all([
            runClosedLoop({ clients: 1, durationMs: sliceMs, call: catalog }),
            runFixedRate({ ratePerSec: MIXED_PER_SEC, durationMs: sliceMs, maxInFlight: 64, call: mixed }),
          ]);
          return { probe, background: load.samples };
        },
      });

      const mixedHang = summarize(samples.fault.background);
      record.figure('mixedDuringHang', mixedHang.count);
      // Every mixed query sent during a hang slice is partial: catalog data plus the coded timeout.
      record.equals('mixedPartialShareDuringHang', (mixedHang.outcomes[PARTIAL] ?? 0) / mixedHang.count, 1);
      // Baseline slices after a hang meet connections the proxy opened during it (see below).
      record.figure(
        'baselineMixedOnLeftoverConnections',
        summarize(samples.baseline.background).outcomes[PARTIAL] ?? 0,
      );
      record.figure('mixedHangP50Ms', mixedHang.p50);
      record.between('mixedHangP99Ms', mixedHang.p99, DEADLINE_MS - 5, DEADLINE_MS + 100, 'timing');
      recordProbeUnaffected(record, samples, settings);

      // Connections the proxy accepted during the hang never get an upstream (a proxy artefact: undici
      // opens a fresh one after each aborted attempt), so the first calls after it may each spend a
      // deadline on one: recovery is "answers in full again within a few deadlines".
      const recovery = await untilFirstOk(mixed, 10 * DEADLINE_MS);
      record.figure('failuresBeforeRecovery', recovery.before.length);
      record.atMost('msToFirstFullAnswer', recovery.ms, 10 * DEADLINE_MS, 'timing');
    } finally {
      await side?.stop();
      await chaos.stop();
    }
    return record.result();
  },
};
