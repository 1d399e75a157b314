import { createFaultProxy } from '../../../simulators/faultProxy/createFaultProxy';
import type { ChaosExperiment } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';
import type { LogLine } from '../spawnChaosProcess';
import { BACKENDS, REFUND_MUTATION, startMutationStack, type Backend } from '../startMutationStack';

const PER_KIND = 4;
type Kind = 'completed' | 'reply lost' | 'never reached us';
const KINDS: readonly Kind[] = ['completed', 'reply lost', 'never reached us'];

/**
 * T15: through a real gateway and orders subgraph (separate processes, their pino output captured as
 * an operator's log pipeline would hold it), three kinds of refund request, four each, both backends:
 * - completed: answered normally;
 * - reply lost: the caller's connection goes away after the backend applied the refund and before the
 *   answer came back (the backend's answer is held until the caller has gone, so it is always this
 *   order of events), i.e. a response dropped downstream of the gateway;
 * - never reached us: the connection is reset by a TCP fault proxy in front of the gateway.
 * Each key is then classified from those logs alone — no client-side knowledge — and must come out as
 * what happened to it. Every request that reached us must also have its ingress lines (the gateway's
 * `request received`, and the subgraph's `received` before any upstream call, with request id and key), one request id on every line, and upstream calls in the same W3C trace
 * as the traceparent the backend received.
 */
export const lostReplyFromLogs: ChaosExperiment = {
  id: 'T15',
  title: 'reply lost downstream vs never reached us: classified from the logs alone',
  async run() {
    const record = new ExperimentRecord(this.id, this.title);
    const stack = await startMutationStack();
    const orders = await stack.startOrders().catch(async (e: unknown) => {
      await stack.stop();
      throw e;
    });
    const gateway = await stack.startGateway(orders.url).catch(async (e: unknown) => {
      await stack.stop();
      throw e;
    });
    const refused = await createFaultProxy({
      target: { host: '127.0.0.1', port: Number(new URL(gateway.url).port) },
      faults: { refuse: true },
    });
    try {
      const truth = new Map<string, Kind>();
      const backendOf = (i: number): Backend => BACKENDS[i % BACKENDS.length]!;
      const send = (url: string, key: string, i: number, signal?: AbortSignal) =>
        stack.post(
          url,
          REFUND_MUTATION,
          { input: { orderNumber: stack.take(backendOf(i)) } },
          { key, signal },
        );

      for (let i = 0; i < PER_KIND; i++) {
        const key = stack.newKey();
        truth.set(key, 'completed');
        await send(gateway.url, key, i);
      }
      for (let i = 0; i < PER_KIND; i++) {
        const key = stack.newKey();
        truth.set(key, 'reply lost');
        const holding = stack.holding[backendOf(i)];
        holding.hold = true;
        const caller = new AbortController();
        const reply = send(gateway.url, key, i, caller.signal).catch(() => null);
        await holding.whenHeld();
        caller.abort();
        await reply;
        // The gateway has logged the aborted exchange before the subgraph can finish it.
        await gateway.process.waitFor(
          (l) => l.idempotencyKey === key && l.event === 'request aborted',
          10_000,
        );
        holding.hold = false;
        holding.release();
        await orders.process.waitFor((l) => l.idempotencyKey === key && l.event === 'outcome', 10_000);
      }
      let refusedErrors = 0;
      for (let i = 0; i < PER_KIND; i++) {
        const key = stack.newKey();
        truth.set(key, 'never reached us');
        await send(refused.url, key, i).catch(() => refusedErrors++);
      }
      record.equals('neverReachedCallerErrors', refusedErrors, PER_KIND);

      const lines = [...gateway.process.logs, ...orders.process.logs];
      const classified = new Map([...truth.keys()].map((key) => [key, classify(lines, key)]));
      for (const kind of KINDS) {
        const keys = [...truth].filter(([, k]) => k === kind).map(([key]) => key);
        record.equals(
          `classified.${kind.replace(/ /g, '')}`,
          `${keys.filter((k) => classified.get(k) === kind).length}/${keys.length}`,
          `${PER_KIND}/${PER_KIND}`,
        );
      }
      const reached = [...truth].filter(([, k]) => k !== 'never reached us').map(([key]) => key);
      record.equals(
        'ingressBeforeUpstream',
        reached.filter((key) => ingressFirst(orders.process.logs, key)).length,
        reached.length,
      );
      // The gateway's own ingress line: a request that reached the gateway is in its logs from the start.
      record.equals(
        'gatewayIngressLogged',
        reached.filter((key) =>
          lines.some(
            (l) => l.component === 'gateway' && l.idempotencyKey === key && l.event === 'request received',
          ),
        ).length,
        reached.length,
      );
      record.equals(
        'oneRequestIdPerKey',
        reached.filter(
          (key) => new Set(lines.filter((l) => l.idempotencyKey === key).map((l) => l.requestId)).size === 1,
        ).length,
        reached.length,
      );
      const writes = [...stack.holding.legacy.committed, ...stack.holding.vendor.committed];
      record.equals(
        'upstreamCallsInRequestTrace',
        reached.filter((key) => {
          const traceIds = new Set(lines.filter((l) => l.idempotencyKey === key).map((l) => l.traceId));
          const sent = writes
            .filter((w) => w.idempotencyKey === key)
            .map((w) => w.traceparent?.split('-')[1]);
          return traceIds.size === 1 && sent.length > 0 && sent.every((id) => traceIds.has(id));
        }).length,
        reached.length,
      );
      record.equals(
        'lostRepliesWorkDone',
        [...truth]
          .filter(([, k]) => k === 'reply lost')
          .filter(([key]) =>
            lines.some((l) => l.idempotencyKey === key && l.event === 'outcome' && l.outcome === 'success'),
          ).length,
        PER_KIND,
      );
    } finally {
      await refused.close();
      await stack.stop();
    }
    return record.result();
  },
};

/** What the logs say happened to a key: nothing (never reached us), or how the gateway's exchange ended. */
function classify(lines: readonly LogLine[], key: string): Kind | 'unclassified' {
  const mine = lines.filter((l) => l.idempotencyKey === key);
  if (mine.length === 0) return 'never reached us';
  if (mine.some((l) => l.component === 'gateway' && l.event === 'request aborted')) return 'reply lost';
  if (mine.some((l) => l.component === 'gateway' && l.event === 'request completed')) return 'completed';
  return 'unclassified';
}

/** The subgraph's `received` line, with request id and key, comes before its first upstream call. */
function ingressFirst(lines: readonly LogLine[], key: string): boolean {
  const mine = lines.filter((l) => l.idempotencyKey === key);
  const ingress = mine.findIndex((l) => l.event === 'received' && typeof l.requestId === 'string');
  const upstream = mine.findIndex((l) => l.event === 'upstream attempt');
  return ingress >= 0 && upstream > ingress;
}
