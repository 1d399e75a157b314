import { createRandom } from './createRandom';
import { seedCourseRuns, type SeedCourseRun } from './seedCourseRuns';
import { seedOrders } from './seedOrders';
import type { SeedOrder } from './SeedOrder';

export interface Seed {
  courseRuns: SeedCourseRun[];
  orders: SeedOrder[];
}

export const DEFAULT_SEED = 20261122;

/** The whole simulated world, deterministic for a given seed number. */
export function createSeed(seed = DEFAULT_SEED): Seed {
  const random = createRandom(seed);
  const courseRuns = seedCourseRuns(random);
  return { courseRuns, orders: seedOrders(random, courseRuns) };
}
