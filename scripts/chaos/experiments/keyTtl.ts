import { setTimeout as sleep } from 'node:timers/promises';
import { recordKey } from '../../../idempotency/IdempotencyStore';
import type { ChaosExperiment } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';
import { BACKENDS, codeOf, MUTATION_USER, startMutationStack } from '../startMutationStack';

const DAY_MS = 24 * 3_600_000;
/** What is left of the record when the end of its window is played: the last half second of 24 h. */
const LAST_MS = 500;

/**
 * T12, per backend, on a real orders subgraph and Redis with the default IDEMPOTENCY_TTL_MS. The
 * record's expiry is Redis's own (PX), so no clock in our processes can be mocked to move it: the
 * experiment reads the record's TTL (≥ 24 h less the time since it was written), then stands in for
 * the passage of 24 h by shortening it to its last half second with PEXPIRE — a replay then is still
 * honoured — and lets it run out: the same key is then a new request (documented in
 * docs/mutations-and-idempotency.md), not a replay and not a mismatch, and it reaches the backend again.
 */
export const keyTtl: ChaosExperiment = {
  id: 'T12',
  title: 'key TTL: replay honoured for 24 h, an expired key is a new request (legacy, vendor)',
  async run() {
    const record = new ExperimentRecord(this.id, this.title);
    const stack = await startMutationStack();
    try {
      const { url } = await stack.startOrders();
      for (const backend of BACKENDS) {
        const orderNumber = stack.take(backend);
        const key = stack.newKey();
        const redisKey = recordKey({ user: MUTATION_USER, operation: 'requestRefund', key });
        const first = await stack.refund(url, { orderNumber }, key);
        record.equals(`${backend}.firstError`, codeOf(first), 'none');
        const ttlMs = await stack.redis.pttl(redisKey);
        // A minute of slack for the time between the write and this read on a loaded box.
        record.between(`${backend}.recordTtlMs`, ttlMs, DAY_MS - 60_000, DAY_MS);
        await stack.redis.pexpire(redisKey, LAST_MS);
        const lastMoment = await stack.refund(url, { orderNumber }, key);
        record.equals(
          `${backend}.replayedInLastMoment`,
          lastMoment.replayed && JSON.stringify(lastMoment.body.data) === JSON.stringify(first.body.data),
          true,
        );
        while ((await stack.redis.exists(redisKey)) === 1) await sleep(50);
        const reached = stack.holding[backend].forwarded();
        const afterExpiry = await stack.refund(url, { orderNumber, reason: 'sent again after expiry' }, key);
        record.equals(`${backend}.replayedAfterExpiry`, afterExpiry.replayed, false);
        record.check(
          `${backend}.afterExpiryCode`,
          codeOf(afterExpiry),
          'not IDEMPOTENCY_KEY_*',
          !codeOf(afterExpiry).startsWith('IDEMPOTENCY_KEY_'),
        );
        record.atLeast(`${backend}.backendCallsAfterExpiry`, stack.holding[backend].forwarded() - reached, 1);
        record.equals(`${backend}.newRecordWritten`, await stack.redis.exists(redisKey), 1);
      }
    } finally {
      await stack.stop();
    }
    return record.result();
  },
};
