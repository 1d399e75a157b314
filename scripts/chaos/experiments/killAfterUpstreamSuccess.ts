import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosExperiment } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';
import { BACKENDS, startMutationStack, type Backend, type MutationReply } from '../startMutationStack';
import { reachedOwner } from './reachedOwner';

// Short lease so the retry may take over within the experiment; it is the same code path as the
// 15 s default (a claim whose lease ran out), only sooner.
const LEASE = { IDEMPOTENCY_LEASE_MS: '1000' };

/**
 * T11: a real orders-subgraph process is SIGKILLed after the backend applied a refund and before the
 * subgraph heard so. Deterministic without sleeps: the holding proxy keeps the backend's answer once
 * it has committed, the kill lands while it is held. A new process then gets the retry with the same
 * key: it waits out the dead attempt's lease (IDEMPOTENCY_KEY_IN_USE until then), takes over, looks
 * upstream (vendor: the order's returns; legacy: re-sends, answered `200 []`) and answers the refund as delivered (legacy `OPEN`, vendor `DELIVERED`)
 * while the backend's side effect stays at one.
 */
export const killAfterUpstreamSuccess: ChaosExperiment = {
  id: 'T11',
  title: 'kill -9 of the orders subgraph after upstream success: retry reconciles (legacy, vendor)',
  async run() {
    const record = new ExperimentRecord(this.id, this.title);
    const stack = await startMutationStack();
    try {
      const first = await stack.startOrders(LEASE);
      const target = Object.fromEntries(
        BACKENDS.map((b) => [
          b,
          { orderNumber: stack.take(b), key: stack.newKey(), before: stack.refundsApplied(b) },
        ]),
      ) as Record<Backend, { orderNumber: string; key: string; before: number }>;
      const answered: Backend[] = [];
      for (const b of BACKENDS) stack.holding[b].hold = true;
      for (const b of BACKENDS)
        void stack.refund(first.url, { orderNumber: target[b].orderNumber }, target[b].key).then(
          () => answered.push(b),
          () => undefined, // the connection dies with the process
        );
      await Promise.all(BACKENDS.map((b) => stack.holding[b].whenHeld()));
      for (const b of BACKENDS)
        record.equals(`${b}.appliedBeforeKill`, stack.refundsApplied(b) - target[b].before, 1);
      await first.process.kill('SIGKILL');
      record.equals('killedBySignal', first.process.child.signalCode, 'SIGKILL');
      record.equals('answeredBeforeKill', answered.length, 0);
      for (const b of BACKENDS) {
        stack.holding[b].hold = false;
        stack.holding[b].release();
      }

      const second = await stack.startOrders(LEASE);
      for (const b of BACKENDS) {
        const { orderNumber, key, before } = target[b];
        let reply: MutationReply | undefined;
        let inUse = 0;
        for (let i = 0; i < 100; i++) {
          reply = await stack.refund(second.url, { orderNumber }, key);
          if (reply.body.errors?.[0]?.extensions?.code !== 'IDEMPOTENCY_KEY_IN_USE') break;
          inUse++;
          await sleep(100);
        }
        const refund = reply?.body.data?.requestRefund as Record<string, unknown> | undefined;
        record.figure(`${b}.inUseWhileLeaseHeld`, inUse);
        record.equals(`${b}.retryError`, String(reply?.body.errors?.[0]?.extensions?.code ?? 'none'), 'none');
        record.figure(`${b}.retryStatus`, String(refund?.status));
        record.equals(`${b}.retryReachedOwner`, reachedOwner(refund?.status as string | undefined), true);
        record.equals(`${b}.retryOrder`, String(refund?.orderNumber), orderNumber);
        record.figure(`${b}.refundIdsKnown`, Boolean(refund?.refundIdsKnown));
        record.equals(`${b}.upstreamAppliedAfterRetry`, stack.refundsApplied(b) - before, 1);
        const reconciled = await second.process
          .waitFor((l) => l.event === 'takeover reconciled' && l.idempotencyKey === key, 5000)
          .catch(() => null);
        record.equals(`${b}.takeoverFoundApplied`, reconciled?.alreadyApplied === true, true);
        const replay = await stack.refund(second.url, { orderNumber }, key);
        // The replay carries the stored answer plus its replay marks: the data must be the retry's.
        record.equals(
          `${b}.replayMarkedSameData`,
          replay.replayed && JSON.stringify(replay.body.data) === JSON.stringify(reply?.body.data),
          true,
        );
      }
    } finally {
      await stack.stop();
    }
    return record.result();
  },
};
