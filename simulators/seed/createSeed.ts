import { createRandom } from './createRandom';
import { seedCourseRuns, type SeedCourseRun } from './seedCourseRuns';
import { seedOrders } from './seedOrders';
import { seedVendorOrders } from './seedVendorOrders';
import type { SeedOrder } from './SeedOrder';

export interface Seed {
  courseRuns: SeedCourseRun[];
  orders: SeedOrder[];
  /** Orders in the vendor system. Optional: a world without any is simply one before the migration. */
  vendorOrders?: SeedOrder[];
}

export const DEFAULT_SEED = 20261122;

/** The whole simulated world, deterministic for a given seed number. */
export function createSeed(seed = DEFAULT_SEED): Seed {
  const random = createRandom(seed);
  const courseRuns = seedCourseRuns(random);
  const orders = seedOrders(random, courseRuns);
  // A random stream of its own, so adding vendor orders never changes the legacy dataset.
  const vendorOrders = seedVendorOrders(createRandom(seed + 1), courseRuns, orders);
  return { courseRuns, orders, vendorOrders };
}
