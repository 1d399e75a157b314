import { createRandom } from './createRandom';
import { seedCourseRuns, type SeedCourseRun } from './seedCourseRuns';
import { seedExtraOrders, seedOrders } from './seedOrders';
import { seedVendorOrders } from './seedVendorOrders';
import type { SeedOrder } from './SeedOrder';

export interface Seed {
  courseRuns: SeedCourseRun[];
  orders: SeedOrder[];
  /** Orders in the vendor system. Optional: a world without any is simply one before the migration. */
  vendorOrders?: SeedOrder[];
}

export const DEFAULT_SEED = 20261122;

/** learner1…learner50 (and staff): the world tests and `npm start` know. */
export const DEFAULT_LEARNERS = 50;

export interface SeedOptions {
  /**
   * Learners with legacy orders: beyond DEFAULT_LEARNERS, learner51… get 21–40 legacy orders each and
   * no vendor orders, while the first fifty stay exactly as in the default world. The benchmark uses
   * it so no cache can carry its load. @default DEFAULT_LEARNERS
   */
  learners?: number;
}

/** The whole simulated world, deterministic for a given seed number (and learner count). */
export function createSeed(seed = DEFAULT_SEED, options: SeedOptions = {}): Seed {
  const random = createRandom(seed);
  const courseRuns = seedCourseRuns(random);
  const orders = seedOrders(random, courseRuns);
  // A random stream of its own, so adding vendor orders never changes the legacy dataset.
  const vendorOrders = seedVendorOrders(createRandom(seed + 1), courseRuns, orders);
  const learners = options.learners ?? DEFAULT_LEARNERS;
  if (learners > DEFAULT_LEARNERS) {
    // A third stream, drawn after the others: the default world is unchanged by asking for more.
    orders.push(
      ...seedExtraOrders(createRandom(seed + 2), courseRuns, DEFAULT_LEARNERS + 1, learners, orders),
    );
  }
  return { courseRuns, orders, vendorOrders };
}
