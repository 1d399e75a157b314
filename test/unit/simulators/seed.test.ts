import { createSeed, DEFAULT_SEED } from '../../../simulators/seed/createSeed';
import { subtotalMinor, totalMinor } from '../../../simulators/seed/SeedOrder';

// The simulated world the README and the order-history issue promise: who is in it, how much they
// bought, and the awkward data that the happy path never produces.
const seed = createSeed();
const learners = Array.from({ length: 50 }, (_, i) => `learner${i + 1}`);
const countOf = (username: string) => seed.orders.filter((o) => o.username === username).length;

it('is deterministic for a seed number, and differs for another', () => {
  expect(createSeed()).toEqual(seed);
  expect(createSeed(1).orders.map((o) => o.placedAt)).not.toEqual(seed.orders.map((o) => o.placedAt));
});

it('has learner1 … learner50 with 0 to 200 orders each, the extremes included, and staff', () => {
  const counts = learners.map(countOf);
  expect(counts.every((n) => n >= 0 && n <= 200)).toBe(true);
  expect(counts).toContain(0);
  expect(counts).toContain(200);
  expect(countOf('learner2')).toBe(0);
  expect(countOf('learner3')).toBe(200);
  expect(countOf('staff')).toBeGreaterThan(0);
  const known = new Set([...learners, 'staff']);
  expect(seed.orders.every((o) => known.has(o.username))).toBe(true);
});

it('gives every order 1 to 4 lines and a unique number in the legacy shape', () => {
  expect(seed.orders.every((o) => o.lines.length >= 1 && o.lines.length <= 4)).toBe(true);
  expect(new Set(seed.orders.map((o) => o.number)).size).toBe(seed.orders.length);
  expect(seed.orders.every((o) => /^EDX-\d{6}$/.test(o.number))).toBe(true);
});

it('has 200+ course runs with unique keys', () => {
  expect(seed.courseRuns.length).toBeGreaterThanOrEqual(200);
  expect(new Set(seed.courseRuns.map((r) => r.key)).size).toBe(seed.courseRuns.length);
});

it('holds the awkward cases: discounts, vouchers, zero price, JPY, unicode, an unknown course run', () => {
  const runs = new Set(seed.courseRuns.map((r) => r.key));
  expect(seed.orders.some((o) => o.discountMinor > 0 && totalMinor(o) < subtotalMinor(o))).toBe(true);
  expect(seed.orders.some((o) => o.voucherCode !== null)).toBe(true);
  expect(seed.orders.some((o) => totalMinor(o) === 0)).toBe(true);
  expect(seed.orders.some((o) => o.currency === 'JPY')).toBe(true);
  expect(seed.courseRuns.some((r) => /[^\u0000-\u007f]/.test(r.title))).toBe(true);
  const unknownRun = seed.orders.flatMap((o) => o.lines).find((l) => l.courseKey && !runs.has(l.courseKey));
  expect(unknownRun).toBeDefined();
  // The awkward cases sit on learner1, where tests and the explorer's first query find them.
  const mine = seed.orders.filter((o) => o.username === 'learner1');
  expect(mine.some((o) => o.currency === 'JPY')).toBe(true);
  expect(mine.some((o) => o.lines.some((l) => l.courseKey && !runs.has(l.courseKey)))).toBe(true);
});

it('gives learners vendor orders numbered 2U-…, some on course runs the catalog knows', () => {
  const vendor = seed.vendorOrders ?? [];
  const runs = new Set(seed.courseRuns.map((r) => r.key));
  expect(vendor.length).toBeGreaterThan(0);
  expect(vendor.every((o) => /^2U-\d+$/.test(o.number))).toBe(true);
  expect(vendor.some((o) => o.lines.some((l) => l.courseKey && runs.has(l.courseKey)))).toBe(true);
});

it('grows to hundreds of learners for load tests, leaving the first fifty exactly as they were', () => {
  const big = createSeed(DEFAULT_SEED, { learners: 600 });
  expect(big.orders.slice(0, seed.orders.length)).toEqual(seed.orders);
  expect(big.vendorOrders).toEqual(seed.vendorOrders);
  expect(big.courseRuns).toEqual(seed.courseRuns);
  const extra = big.orders.slice(seed.orders.length);
  const counts = new Map<string, number>();
  for (const order of extra) counts.set(order.username, (counts.get(order.username) ?? 0) + 1);
  expect([...counts.keys()]).toEqual(Array.from({ length: 550 }, (_, i) => `learner${i + 51}`));
  expect([...counts.values()].every((n) => n >= 21 && n <= 40)).toBe(true);
  expect(new Set(big.orders.map((o) => o.number)).size).toBe(big.orders.length);
  expect(big.orders.every((o) => /^EDX-\d{6}$/.test(o.number))).toBe(true);
});
