import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosExperiment } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';
import { BACKENDS, startMutationStack, type MutationReply } from '../startMutationStack';

const CALLS = 50;
const REPLAYS = 3;

/**
 * T9: fifty identical `requestRefund`s at once, one Idempotency-Key, spread over two orders-subgraph
 * processes sharing the real Redis — per backend. The backend's answer to the one that executes is
 * held (after it applied the refund) until the other 49 have been answered, so every run exercises the
 * same interleaving: one execution, 49 × IDEMPOTENCY_KEY_IN_USE, then identical marked replays.
 */
export const concurrentMutations: ChaosExperiment = {
  id: 'T9',
  title: '50 concurrent identical mutations, one key: executed once (legacy, vendor)',
  async run() {
    const record = new ExperimentRecord(this.id, this.title);
    const stack = await startMutationStack();
    try {
      const subgraphs = await Promise.all([stack.startOrders(), stack.startOrders()]);
      for (const backend of BACKENDS) {
        const orderNumber = stack.take(backend);
        const key = stack.newKey();
        const before = stack.refundsApplied(backend);
        const holding = stack.holding[backend];
        holding.hold = true;
        let answered = 0;
        const replies = Array.from({ length: CALLS }, (_, i) =>
          stack.refund(subgraphs[i % 2]!.url, { orderNumber }, key).finally(() => answered++),
        );
        // Bounded: should a second execution happen, it is held too and the counts below say so.
        const deadline = Date.now() + 10_000;
        await holding.whenHeld();
        while (answered < CALLS - 1 && Date.now() < deadline) await sleep(10);
        holding.hold = false;
        holding.release();
        const results = await Promise.all(replies);
        const code = (r: MutationReply) => r.body.errors?.[0]?.extensions?.code;
        const successes = results.filter((r) => r.body.data?.requestRefund && !r.body.errors);
        const inUse = results.filter((r) => code(r) === 'IDEMPOTENCY_KEY_IN_USE').length;
        const first = successes[0];
        record.equals(`${backend}.upstreamApplied`, stack.refundsApplied(backend) - before, 1);
        record.equals(`${backend}.answeredSuccessOrInUse`, successes.length + inUse, CALLS);
        record.figure(`${backend}.inUse`, inUse);
        record.figure(`${backend}.successes`, successes.length);
        record.equals(
          `${backend}.successesIdentical`,
          successes.every((s) => JSON.stringify(s.body.data) === JSON.stringify(first?.body.data)),
          true,
        );
        const replays = await Promise.all(
          Array.from({ length: REPLAYS }, (_, i) =>
            stack.refund(subgraphs[i % 2]!.url, { orderNumber }, key),
          ),
        );
        record.equals(`${backend}.replaysByteIdentical`, new Set(replays.map((r) => r.text)).size, 1);
        record.equals(`${backend}.replaysMarked`, replays.filter((r) => r.replayed).length, REPLAYS);
        record.equals(
          `${backend}.replayIsOriginal`,
          JSON.stringify(replays[0]?.body.data) === JSON.stringify(first?.body.data),
          true,
        );
        record.equals(`${backend}.upstreamAppliedAfterReplays`, stack.refundsApplied(backend) - before, 1);
        record.figure(
          `${backend}.status`,
          String((first?.body.data?.requestRefund as { status?: string })?.status),
        );
      }
    } finally {
      await stack.stop();
    }
    return record.result();
  },
};
