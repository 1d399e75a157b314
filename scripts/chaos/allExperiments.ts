import type { ChaosExperiment } from './ChaosExperiment';
import { attemptDeadline } from './experiments/attemptDeadline';
import { breakerOpens } from './experiments/breakerOpens';
import { breakerRecovers } from './experiments/breakerRecovers';
import { bulkheadFull } from './experiments/bulkheadFull';
import { concurrentMutations } from './experiments/concurrentMutations';
import { dataloaderBatches } from './experiments/dataloaderBatches';
import { deferredThroughOutage } from './experiments/deferredThroughOutage';
import { killAfterUpstreamSuccess } from './experiments/killAfterUpstreamSuccess';
import { keyMismatch } from './experiments/keyMismatch';
import { keyTtl } from './experiments/keyTtl';
import { kitOverhead } from './experiments/kitOverhead';
import { legacyHangs } from './experiments/legacyHangs';
import { lostReplyFromLogs } from './experiments/lostReplyFromLogs';
import { mutationNotRetried } from './experiments/mutationNotRetried';
import { readRetries } from './experiments/readRetries';
import { securityLimits } from './experiments/securityLimits';
import { subgraphHangs } from './experiments/subgraphHangs';

/** Every experiment, in report order (docs/reference/resilience.md §8 numbering, the gateway hop last). */
export const allExperiments: readonly ChaosExperiment[] = [
  breakerOpens,
  breakerRecovers,
  legacyHangs,
  attemptDeadline,
  bulkheadFull,
  readRetries,
  mutationNotRetried,
  concurrentMutations,
  keyMismatch,
  killAfterUpstreamSuccess,
  keyTtl,
  deferredThroughOutage,
  dataloaderBatches,
  lostReplyFromLogs,
  securityLimits,
  kitOverhead,
  subgraphHangs,
];
