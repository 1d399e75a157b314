import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosExperiment } from '../ChaosExperiment';
import type { BreakerEvent } from '../BreakerLog';
import { chaosQueries } from '../chaosQueries';
import { ExperimentRecord } from '../ExperimentRecord';
import { runClosedLoop, summarize, warmUp } from '../runLoad';
import { startChaosStack, type ChaosStack } from '../startChaosStack';
import { readUpstreamStatus } from '../watchStatus';

const RESET_MS = 500;
const WINDOW_MS = 1000;
const CLIENTS = 10;
const BURST = 10;
const UPSTREAM = 'legacy-ecommerce';

/**
 * T3 on the real stack: an open legacy breaker lets exactly one trial through per reset timeout. A
 * failed trial re-opens it; once the fault is gone the next trial closes it and traffic is back to
 * its steady-state success rate. Each half-open moment gets a burst of concurrent requests, so
 * "one trial" is tested against competition, not a lone caller.
 */
export const breakerRecovers: ChaosExperiment = {
  id: 'T3',
  title: 'recovery: one half-open trial per reset, then back to baseline',
  async run(settings) {
    const record = new ExperimentRecord(this.id, this.title);
    const chaos = await startChaosStack({
      LEGACY_ECOMMERCE_BREAKER_RESET_MS: String(RESET_MS),
      LEGACY_ECOMMERCE_BREAKER_WINDOW_MS: String(WINDOW_MS),
    });
    try {
      const q = chaosQueries(chaos.seed);
      const legacy = () => chaos.gateway.outcome(q.legacy);
      const calls = () => chaos.legacy.stats().total;
      // The simulator's count at every legacy transition, read in the same tick as the transition.
      const callsAt = new Map<BreakerEvent, number>();
      chaos.breakers.onEvent((event) => callsAt.set(event, calls()));

      await warmUp({ clients: CLIENTS, call: legacy });
      const steady = summarize(
        await runClosedLoop({ clients: CLIENTS, durationMs: settings.phaseMs, call: legacy }),
      );
      record.equals('steadySuccessRate', steady.successRate, 1, 'baseline');
      record.figure('steadyP99Ms', steady.p99);

      // Let the steady state's successes leave the rolling window, so the fault opens the breaker
      // within a few calls instead of having to outnumber them.
      await sleep(WINDOW_MS + 200);
      chaos.legacy.setFaults({ errorRate: 1, errorStatus: 500 });
      await runClosedLoop({ clients: CLIENTS, durationMs: 3000, until: () => isOpen(chaos), call: legacy });
      const opened = next(chaos, 'open', 0);
      record.equals('opened', Boolean(opened), true);
      if (!opened) return record.result();

      // Trial 1, fault still on: it must fail and re-open the breaker for another reset timeout.
      const half1 = await waitForState(chaos, 'halfOpen', opened.at, RESET_MS * 4);
      await Promise.all(Array.from({ length: BURST }, legacy));
      const reopened = next(chaos, 'open', half1.at);
      record.equals('failedTrialReopens', Boolean(reopened), true);
      record.equals(
        'callsDuringFailedTrial',
        reopened ? callsAt.get(reopened)! - callsAt.get(half1)! : -1,
        1,
      );

      // Trial 2, fault gone: it must close the breaker.
      chaos.legacy.clearFaults();
      const clearedAt = performance.now();
      const half2 = await waitForState(chaos, 'halfOpen', reopened?.at ?? half1.at, RESET_MS * 4);
      record.between(
        'msReopenToHalfOpen',
        half2.at - (reopened?.at ?? half1.at),
        RESET_MS - 5,
        RESET_MS + 200,
        'timing',
      );
      await Promise.all(Array.from({ length: BURST }, legacy));
      const closed = next(chaos, 'closed', half2.at);
      record.equals(
        'callsDuringSuccessfulTrial',
        closed ? callsAt.get(closed)! - callsAt.get(half2)! : -1,
        1,
      );
      record.atMost(
        'msFaultClearedToClosed',
        closed ? closed.at - clearedAt : Number.POSITIVE_INFINITY,
        RESET_MS + 300,
        'timing',
      );
      record.equals(
        'statusAfterTrial',
        (await readUpstreamStatus(chaos.stack.adminUrls.orders, UPSTREAM)).breaker,
        'closed',
      );

      const after = summarize(
        await runClosedLoop({ clients: CLIENTS, durationMs: settings.phaseMs, call: legacy }),
      );
      record.equals('recoverySuccessRate', after.successRate, 1);
      record.figure('recoveryP99Ms', after.p99);
    } finally {
      await chaos.stop();
    }
    return record.result();
  },
};

function isOpen(chaos: ChaosStack): boolean {
  return chaos.breakers.of(UPSTREAM).some((e) => e.state === 'open');
}

function next(chaos: ChaosStack, state: BreakerEvent['state'], after: number): BreakerEvent | undefined {
  return chaos.breakers.of(UPSTREAM).find((e) => e.state === state && e.at > after);
}

async function waitForState(
  chaos: ChaosStack,
  state: BreakerEvent['state'],
  after: number,
  timeoutMs: number,
) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const event = next(chaos, state, after);
    if (event) return event;
    if (performance.now() > deadline) throw new Error(`${UPSTREAM} breaker never reached ${state}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
