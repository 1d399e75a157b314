import { createSeed, type Seed } from '../../simulators/seed/createSeed';
import type { SeedOrder } from '../../simulators/seed/SeedOrder';

const courses = (order: SeedOrder) => order.lines.flatMap((l) => (l.courseKey ? [l.courseKey] : []));

/**
 * A learner's legacy orders that one refund can reach on its own: Complete, with a course line, and
 * no course held by another of their Complete orders. The legacy API refunds a course in every
 * Complete order holding it, so any other order is refused as REFUND_SCOPE_AMBIGUOUS
 * (docs/reference/legacy-ecommerce.md, "Refunds"); tests that mean to refund pick from these. Every
 * course must be one the catalog knows: a run discovery has never heard of has no verified mode, so
 * the refund rule refuses it (NO_VERIFIED_MODE).
 */
export function refundableOrders(username: string, seed: Seed = createSeed()): SeedOrder[] {
  const complete = seed.orders.filter((o) => o.username === username && o.status === 'Complete');
  const known = new Set(seed.courseRuns.map((run) => run.key));
  const holders = new Map<string, number>();
  for (const order of complete)
    for (const course of new Set(courses(order))) holders.set(course, (holders.get(course) ?? 0) + 1);
  // Paid seats only: a refund of nothing is approved as soon as it is made (create_with_lines), so
  // tests of the OPEN lifecycle would see APPROVED (refundLifecycle.test.ts covers that case).
  const paid = (o: SeedOrder) => o.lines.every((l) => !l.courseKey || l.unitPriceMinor > 0);
  return complete.filter(
    (o) => paid(o) && courses(o).length > 0 && courses(o).every((c) => holders.get(c) === 1 && known.has(c)),
  );
}

/** The learner's Complete orders that share a course with another of their Complete orders. */
export function ambiguousOrders(username: string, seed: Seed = createSeed()): SeedOrder[] {
  const complete = seed.orders.filter((o) => o.username === username && o.status === 'Complete');
  const holders = new Map<string, number>();
  for (const order of complete)
    for (const course of new Set(courses(order))) holders.set(course, (holders.get(course) ?? 0) + 1);
  return complete.filter((o) => courses(o).some((c) => (holders.get(c) ?? 0) > 1));
}

/** The distinct course runs of a legacy order: one refund call each (see above). */
export function courseRunsOf(number: string, seed: Seed = createSeed()): string[] {
  return [...new Set(courses(seed.orders.find((o) => o.number === number)!))];
}
