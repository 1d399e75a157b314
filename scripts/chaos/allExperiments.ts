import type { ChaosExperiment } from './ChaosExperiment';
import { attemptDeadline } from './experiments/attemptDeadline';
import { breakerOpens } from './experiments/breakerOpens';
import { breakerRecovers } from './experiments/breakerRecovers';
import { bulkheadFull } from './experiments/bulkheadFull';
import { dataloaderBatches } from './experiments/dataloaderBatches';
import { legacyHangs } from './experiments/legacyHangs';
import { mutationNotRetried } from './experiments/mutationNotRetried';
import { readRetries } from './experiments/readRetries';
import { subgraphHangs } from './experiments/subgraphHangs';

/** Every experiment, in report order (resilience.md §8 numbering, the gateway hop last). */
export const allExperiments: readonly ChaosExperiment[] = [
  breakerOpens,
  breakerRecovers,
  legacyHangs,
  attemptDeadline,
  bulkheadFull,
  readRetries,
  mutationNotRetried,
  dataloaderBatches,
  subgraphHangs,
];
