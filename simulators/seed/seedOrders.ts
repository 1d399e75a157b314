import type { Random } from './createRandom';
import type { SeedCourseRun } from './seedCourseRuns';
import type { SeedLine, SeedOrder } from './SeedOrder';

/** A key no catalog knows: an order line whose course run was retired must still render. */
export const UNKNOWN_COURSE_KEY = 'course-v1:GhostX+Retired101+1T2015';

const NEWEST = Date.UTC(2026, 5, 1);
const OLDEST = Date.UTC(2020, 0, 1);
const STATUSES = [
  'Complete',
  'Complete',
  'Complete',
  'Complete',
  'Complete',
  'Complete',
  'Open',
  'Pending',
  'Fulfillment Error',
  'Payment Error',
];
const PRICES_CENTS = [4900, 9900, 14900, 19999, 29900, 0];
const PAYMENT = [
  ['cybersource-rest', 'Visa 1111'],
  ['cybersource-rest', 'Mastercard 4444'],
  ['paypal', 'paypal'],
  ['stripe', 'Amex 0005'],
] as const;

/** Orders per learner: fixed for the first three (tests lean on them), seeded for the rest. */
export function orderCountFor(index: number, random: Random): number {
  if (index === 1) return 45;
  if (index === 2) return 0;
  if (index === 3) return 200;
  return random.int(0, 200);
}

export function seedOrders(random: Random, runs: readonly SeedCourseRun[], learners = 50): SeedOrder[] {
  const orders: SeedOrder[] = [];
  let basket = 1;
  const users = Array.from({ length: learners }, (_, i) => ({ username: `learner${i + 1}`, index: i + 1 }));
  users.push({ username: 'staff', index: 0 });
  for (const user of users) {
    const count = user.index === 0 ? 3 : orderCountFor(user.index, random);
    // Distinct timestamps per learner, spread over six years, newest first.
    const step = Math.floor((NEWEST - OLDEST) / (count + 1));
    for (let n = 0; n < count; n++) {
      const placed = NEWEST - (n + 1) * step + random.int(0, 3600) * 1000;
      const number = `EDX-${100000 + basket++}`;
      orders.push(
        buildOrder(
          random,
          runs,
          user.username,
          number,
          new Date(placed).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          n,
        ),
      );
    }
  }
  addAwkwardOrders(orders);
  addLegacyQuirks(orders);
  return orders;
}

/** Fewest and most orders of each learner past the first fifty: enough for a full first page each. */
export const EXTRA_LEARNER_ORDERS = { min: 21, max: 40 } as const;

/**
 * Orders of learner`from`…learner`to`, for load tests that must rotate over hundreds of learners (the
 * benchmark). Drawn from a random stream of their own and numbered after `after`, so the first fifty
 * learners' orders, numbers included, are exactly those of the default world.
 */
export function seedExtraOrders(
  random: Random,
  runs: readonly SeedCourseRun[],
  from: number,
  to: number,
  after: readonly SeedOrder[],
): SeedOrder[] {
  const orders: SeedOrder[] = [];
  let basket = Math.max(0, ...after.map((o) => Number(o.number.slice(4)) - 100000)) + 1;
  for (let index = from; index <= to; index++) {
    const username = `learner${index}`;
    const count = random.int(EXTRA_LEARNER_ORDERS.min, EXTRA_LEARNER_ORDERS.max);
    const step = Math.floor((NEWEST - OLDEST) / (count + 1));
    for (let n = 0; n < count; n++) {
      const placed = NEWEST - (n + 1) * step + random.int(0, 3600) * 1000;
      const placedAt = new Date(placed).toISOString().replace(/\.\d{3}Z$/, 'Z');
      orders.push(buildOrder(random, runs, username, `EDX-${100000 + basket++}`, placedAt, n));
    }
  }
  return orders;
}

function buildOrder(
  random: Random,
  runs: readonly SeedCourseRun[],
  username: string,
  number: string,
  placedAt: string,
  n: number,
): SeedOrder {
  const lines: SeedLine[] = [];
  const lineCount = random.int(1, 4);
  for (let l = 0; l < lineCount; l++) {
    const run = random.pick(runs);
    const certificateType = random.pick(['verified', 'verified', 'professional', 'honor']);
    const isDonation = random.chance(0.03);
    lines.push({
      productId: 1000 + runs.indexOf(run) * 3 + (isDonation ? 2 : 0),
      title: isDonation ? 'Donation to edX' : `Seat in ${run.title} with ${certificateType} certificate`,
      description: isDonation
        ? 'Donation to edX'
        : `Seat in ${run.title} with ${certificateType} certificate`,
      quantity: random.chance(0.08) ? random.int(2, 5) : 1,
      unitPriceMinor: random.pick(PRICES_CENTS),
      courseKey: isDonation ? null : run.key,
      certificateType: isDonation ? null : certificateType,
      organization: isDonation ? null : run.org,
      status: 'Complete',
    });
  }
  const subtotal = lines.reduce((s, line) => s + line.unitPriceMinor * line.quantity, 0);
  const discounted = subtotal > 0 && random.chance(0.15);
  const [processor, method] = random.pick(PAYMENT);
  const free = subtotal === 0;
  return {
    number,
    username,
    email: `${username}@example.org`,
    placedAt,
    status: n === 0 ? 'Complete' : random.pick(STATUSES),
    currency: random.chance(0.05) ? 'EUR' : 'USD',
    lines,
    discountMinor: discounted ? Math.round(subtotal * random.pick([0.1, 0.2, 0.25])) : 0,
    voucherCode: discounted ? `SAVE${random.int(10, 99)}` : null,
    paymentProcessor: free ? null : processor,
    paymentMethod: free ? null : method,
  };
}

/** Data the happy path never produces, placed on learner1 so tests can find it. */
function addAwkwardOrders(orders: SeedOrder[]): void {
  const mine = orders.filter((o) => o.username === 'learner1');
  const [jpy, ghost, odd, free] = [mine[2], mine[3], mine[4], mine[5]];
  if (!jpy || !ghost || !odd || !free) return;
  jpy.currency = 'JPY';
  jpy.lines = [{ ...(jpy.lines[0] as SeedLine), quantity: 1, unitPriceMinor: 1500 }];
  jpy.discountMinor = 0;
  jpy.voucherCode = null;
  ghost.lines = [
    {
      ...(ghost.lines[0] as SeedLine),
      courseKey: UNKNOWN_COURSE_KEY,
      title: 'Seat in Retired Course',
      description: 'Seat in Retired Course',
      unitPriceMinor: 4900,
      quantity: 1,
    },
  ];
  ghost.discountMinor = 0;
  odd.status = 'Chargeback Review';
  free.lines = free.lines.map((line) => ({ ...line, unitPriceMinor: 0 }));
  free.discountMinor = 0;
  free.voucherCode = 'FREE100';
  free.paymentProcessor = null;
  free.paymentMethod = null;
}

/**
 * What only the legacy system records (docs/reference/legacy-ecommerce.md), without a random draw, so
 * the rest of the dataset stays as it was: orders carrying two discounts — a voucher and a site offer,
 * the legacy `discount` field naming only the first — on learner1 (the first discounted order past
 * the awkward ones) and learner3, and lines with no recorded unit price on learner10 and learner11,
 * kept off the learners whose orders tests also place in the vendor system.
 */
function addLegacyQuirks(orders: SeedOrder[]): void {
  for (const username of ['learner1', 'learner3']) {
    const mine = orders.filter((o) => o.username === username);
    const order = mine.slice(6).find((o) => o.discountMinor >= 2 && o.voucherCode !== null);
    if (!order) continue;
    const voucher = Math.ceil(order.discountMinor / 2);
    order.discounts = [
      {
        code: order.voucherCode,
        amountMinor: voucher,
        conditionName: order.voucherCode!,
        offerType: 'Voucher',
      },
      {
        code: null,
        amountMinor: order.discountMinor - voucher,
        conditionName: 'Site-wide sale',
        offerType: 'Site',
      },
    ];
  }
  for (const username of ['learner10', 'learner11']) {
    const newest = orders.find((o) => o.username === username);
    if (newest)
      newest.lines = newest.lines.map((line, i) => (i === 0 ? { ...line, unitPriceUnrecorded: true } : line));
  }
}
