import type { ChaosExperiment } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';
import { BACKENDS, codeOf, startMutationStack } from '../startMutationStack';

/**
 * T10, per backend, on a real orders-subgraph process and Redis: a key already spent on one refund,
 * sent with other arguments (another reason; another order), is IDEMPOTENCY_KEY_MISMATCH and nothing
 * reaches the backend; a refund without a key is IDEMPOTENCY_KEY_REQUIRED and nothing runs, on an order
 * that would otherwise have been refunded.
 */
export const keyMismatch: ChaosExperiment = {
  id: 'T10',
  title: 'same key, other arguments: mismatch; no key: required; upstream untouched (legacy, vendor)',
  async run() {
    const record = new ExperimentRecord(this.id, this.title);
    const stack = await startMutationStack();
    try {
      const { url } = await stack.startOrders();
      for (const backend of BACKENDS) {
        const orderNumber = stack.take(backend);
        const otherOrder = stack.take(backend);
        const key = stack.newKey();
        const before = stack.refundsApplied(backend);
        const first = await stack.refund(url, { orderNumber, reason: 'chaos T10' }, key);
        record.equals(`${backend}.firstError`, codeOf(first), 'none');
        record.equals(`${backend}.appliedByFirst`, stack.refundsApplied(backend) - before, 1);
        const otherReason = await stack.refund(url, { orderNumber, reason: 'another reason' }, key);
        record.equals(`${backend}.otherReason`, codeOf(otherReason), 'IDEMPOTENCY_KEY_MISMATCH');
        const otherOrderSameKey = await stack.refund(url, { orderNumber: otherOrder }, key);
        record.equals(`${backend}.otherOrder`, codeOf(otherOrderSameKey), 'IDEMPOTENCY_KEY_MISMATCH');
        const noKey = await stack.refund(url, { orderNumber: otherOrder }, null);
        record.equals(`${backend}.noKey`, codeOf(noKey), 'IDEMPOTENCY_KEY_REQUIRED');
        record.equals(`${backend}.appliedAfterRefusals`, stack.refundsApplied(backend) - before, 1);
        // The refusals left the spent key's record as it was: the original request still replays.
        const replay = await stack.refund(url, { orderNumber, reason: 'chaos T10' }, key);
        record.equals(
          `${backend}.originalStillReplays`,
          replay.replayed && JSON.stringify(replay.body.data) === JSON.stringify(first.body.data),
          true,
        );
      }
    } finally {
      await stack.stop();
    }
    return record.result();
  },
};
