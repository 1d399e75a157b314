// The modules that guard access, money and exactly-once, each with the smallest set of tests that
// exercises it. Stryker runs one group at a time (run.mjs); a group's tests are the only ones it runs.
// Line ranges (`file:from-to`) keep a group to the guard inside a larger file; they are found by the
// code they start and end with (`lines`), so they follow edits to the file.
import { readFileSync } from 'node:fs';

/**
 * `file:from-to`: from the first line containing `start` to the first line from there that is exactly
 * `end` (e.g. '  }' closes a method), or that one line when `end` is omitted. Throws when the code is
 * not found, so a renamed guard fails the run instead of silently leaving the group.
 */
function lines(file, start, end) {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').split('\n');
  const from = text.findIndex((line) => line.includes(start));
  if (from < 0) throw new Error(`stryker/groups.mjs: "${start}" not found in ${file}`);
  const to = end === undefined ? from : text.findIndex((line, i) => i >= from && line === end);
  if (to < 0) throw new Error(`stryker/groups.mjs: no "${end}" after "${start}" in ${file}`);
  return `${file}:${from + 1}-${to + 1}`;
}

const LEGACY_WRITES = 'subgraphs/orders/backends/legacy/LegacyOrderWrites.ts';
const VENDOR_WRITES = 'subgraphs/orders/backends/vendor/VendorOrderWrites.ts';
const UPSTREAM = 'upstream/createUpstream.ts';

/** @type {Record<string, { title: string, mutate: string[], tests: string[], timeoutMs?: number }>} */
export const groups = {
  // Every request verifies a token, so nearly every integration test covers verifyAuthorization:
  // authentication and ownership are separate groups, each with only the tests written for it.
  auth: {
    title: 'Authentication (JWT, subgraph secret)',
    mutate: [
      'platform/auth/verifyAuthorization.ts',
      'platform/auth/createTokenVerifier.ts',
      'platform/auth/createRemoteJwks.ts',
      'platform/auth/requestCredentials.ts',
      'platform/http/corsPolicy.ts',
      'platform/http/subgraphSecret.ts',
    ],
    tests: [
      'test/unit/platform/verifyAuthorization.test.ts',
      'test/unit/platform/auth/createTokenVerifier.test.ts',
      'test/unit/platform/auth/requestCredentials.test.ts',
      'test/integration/platform/auth/remoteJwks.test.ts',
      'test/integration/gateway/jwtCookies.test.ts',
      'test/integration/gateway/authAndInput.test.ts',
      'test/integration/gateway/tokenClaims.test.ts',
      'test/integration/subgraphs/subgraphSideDoor.test.ts',
    ],
  },
  ownership: {
    title: 'Authorization (ownership: OrderWrites.assertChangeable)',
    // The ownership checks each adapter makes before (and with) a write.
    mutate: [
      lines(LEGACY_WRITES, 'async assertChangeable(', '  }'),
      lines(LEGACY_WRITES, 'private async readOrder(', '  }'),
      lines(VENDOR_WRITES, 'async assertChangeable(', '  }'),
      lines(VENDOR_WRITES, 'private async visibleOrder(', '  }'),
    ],
    tests: [
      'test/integration/subgraphs/orders/ownership.test.ts',
      'test/integration/subgraphs/orders/worker/deferredOwnership.test.ts',
    ],
  },
  idempotency: {
    title: 'Idempotency',
    mutate: [
      'idempotency/runIdempotent.ts',
      'idempotency/MemoryIdempotencyStore.ts',
      'idempotency/RedisIdempotencyStore.ts',
      'idempotency/fingerprint.ts',
      'idempotency/ReplayedError.ts',
    ],
    tests: [
      'test/unit/idempotency/runIdempotent.test.ts',
      'test/unit/idempotencyTtl.test.ts',
      'test/unit/upstream/neverSent.test.ts',
      'test/integration/idempotency/stores.test.ts',
      'test/integration/idempotency/takeoverReconcile.test.ts',
    ],
  },
  mutations: {
    title: 'Mutation services',
    mutate: [
      'subgraphs/orders/mutations/OrderMutations.ts',
      'subgraphs/orders/mutations/processRefund.ts',
      'subgraphs/orders/mutations/findRefundRequest.ts',
      'subgraphs/orders/mutations/rememberRefund.ts',
      'subgraphs/orders/mutations/writeContextFor.ts',
      'subgraphs/orders/mutations/mutationAuditor.ts',
      'subgraphs/orders/mutations/mutationResolvers.ts',
      'subgraphs/orders/mutations/idempotencyKeyFrom.ts',
      'subgraphs/orders/mutations/enqueueRefund.ts',
    ],
    tests: [
      'test/integration/subgraphs/orders/mutations/mutations.test.ts',
      'test/integration/subgraphs/orders/mutations/mutationInput.test.ts',
      // The service in process: queue outage and key-mismatch paths, lookups, fulfilment keys.
      'test/integration/subgraphs/orders/mutations/orderMutations.test.ts',
      'test/unit/orders/idempotencyKeyFrom.test.ts',
      'test/integration/subgraphs/orders/mutations/refundFingerprint.test.ts',
      'test/integration/subgraphs/orders/mutations/redisOutage.test.ts',
      'test/integration/idempotency/takeoverReconcile.test.ts',
      // Runs the worker in-process: deliverDeferred, and the re-check of ownership it makes.
      'test/integration/subgraphs/orders/worker/deferredOwnership.test.ts',
    ],
  },
  limits: {
    title: 'Query limits and demand control',
    // Depth, aliases, directives, spreads and tokens, and the cost estimate from @cost/@listSize
    // (GATEWAY_MAX_COST); documentWalks holds the walks linear and equal to the naive expansion.
    mutate: ['platform/graphql/limits/*.ts'],
    tests: [
      'test/unit/gateway/queryLimits.test.ts',
      'test/unit/platform/documentWalks.test.ts',
      'test/integration/gateway/queryLimits.test.ts',
      'test/unit/platform/estimateCost.test.ts',
      'test/integration/gateway/costLimit.test.ts',
    ],
  },
  money: {
    title: 'Money formatting',
    timeoutMs: 5000, // unit tests only: a mutant that loops is caught sooner
    mutate: ['subgraphs/orders/domain/formatMoney.ts'],
    tests: ['test/unit/orders/formatMoney.test.ts'],
  },
  merged: {
    title: 'Merged pagination',
    timeoutMs: 5000, // unit tests only: a mutant that loops is caught sooner
    mutate: ['subgraphs/orders/layers/merged/*.ts', 'subgraphs/orders/domain/mergeOrderPages.ts'],
    tests: [
      'test/unit/orders/mergeOrderPages.test.ts',
      'test/unit/orders/mergedPaging.test.ts',
      'test/unit/orders/mergedHistoryReads.test.ts',
      'test/unit/orders/routingAndMerged.test.ts',
    ],
  },
  kit: {
    title: 'Upstream kit: retry, breaker, bulkhead, instances',
    // createUpstream.ts: the decisions only (retry, budget, bulkhead, breaker, 429, which instance);
    // its metrics, logging, tracing and stale-if-error lines are not in this group.
    mutate: [
      lines(
        UPSTREAM,
        'const bulkhead = new Bulkhead(',
        '  const budget = new RetryBudget(options.retry.budgetPercent, options.retry.budgetMinConcurrent);',
      ),
      lines(UPSTREAM, 'const target = instances.pick(', '    },'),
      lines(UPSTREAM, 'if (response.status === 429)'),
      lines(UPSTREAM, 'async function withRetries<T>(', '  }'),
      lines(
        UPSTREAM,
        'const deadline = deadlineSignal(',
        '    const deadlineAt = now() + options.requestTimeoutMs;',
      ),
      lines(UPSTREAM, 'const attempt: Attempt = {', '      }, signal);'),
      lines(UPSTREAM, 'budget.requestFinished();'),
      lines(UPSTREAM, 'function toUpstreamError(', '  }'),
      'upstream/Bulkhead.ts',
      'upstream/RetryBudget.ts',
      'upstream/backoffDelay.ts',
      'upstream/classifyFailure.ts',
      'upstream/createBreaker.ts',
      'upstream/isRetryable.ts',
      'upstream/ReplicaSet.ts',
    ],
    tests: [
      'test/unit/upstream/retryPieces.test.ts',
      'test/unit/upstream/classifyFailure.test.ts',
      'test/unit/upstream/neverSent.test.ts',
      'test/unit/upstream/createBreaker.test.ts',
      'test/unit/upstream/answerChecks.test.ts',
      'test/integration/upstream/upstreamKit.test.ts',
      'test/integration/upstream/retryBudgetHoldsOneSlot.test.ts',
      'test/integration/upstream/rateLimited.test.ts',
      'test/integration/upstream/retryEdges.test.ts',
      'test/unit/upstream/ReplicaSet.test.ts',
      'test/integration/upstream/replicaOrigins.test.ts',
    ],
  },
};
