import type { Random } from './createRandom';
import type { SeedCourseRun } from './seedCourseRuns';
import type { SeedLine, SeedOrder } from './SeedOrder';

// Orders placed since the vendor platform went live; legacy orders run until mid-2026 too, so the
// two systems' histories interleave, as during a real migration.
const FIRST = Date.UTC(2024, 0, 15);
const NEWEST = Date.UTC(2026, 5, 1);
const STATUSES = ['Complete', 'Complete', 'Complete', 'Complete', 'Complete', 'Open', 'Pending'];
const PRICES_CENTS = [4900, 9900, 14900, 19999, 34900];
const PAYMENT = [
  ['stripe_edx', 'Visa 4242'],
  ['stripe_edx', 'Mastercard 5454'],
  ['paypal_edx', 'PayPal'],
] as const;

/** Vendor orders per learner: fixed for the first three (tests lean on them), seeded up to learner20. */
export function vendorOrderCountFor(index: number, random: Random): number {
  if (index === 1) return 12;
  if (index === 2) return 0;
  if (index === 3) return 40;
  return index <= 20 ? random.int(0, 15) : 0;
}

/**
 * Orders in the vendor system, numbered `2U-000001`…, for courses the catalog knows. Ties are on
 * purpose: each learner with three or more has two vendor orders at the very same instant, and one at
 * the instant of their newest legacy order, so "newest first, then by number" is exercised within
 * and across systems. learner2 has none, so has no vendor customer either.
 */
export function seedVendorOrders(
  random: Random,
  runs: readonly SeedCourseRun[],
  legacyOrders: readonly SeedOrder[],
  learners = 50,
): SeedOrder[] {
  const orders: SeedOrder[] = [];
  for (let index = 1; index <= learners; index++) {
    const username = `learner${index}`;
    const count = vendorOrderCountFor(index, random);
    const step = Math.floor((NEWEST - FIRST) / (count + 1));
    const mine: SeedOrder[] = [];
    for (let n = 0; n < count; n++) {
      const placed = NEWEST - (n + 1) * step + random.int(0, 3600) * 1000;
      const number = `2U-${String(orders.length + mine.length + 1).padStart(6, '0')}`;
      mine.push(buildOrder(random, runs, username, number, iso(placed), n));
    }
    if (mine.length >= 3) {
      (mine[2] as SeedOrder).placedAt = (mine[1] as SeedOrder).placedAt;
      const newestLegacy = legacyOrders.find((o) => o.username === username);
      if (newestLegacy) (mine[0] as SeedOrder).placedAt = newestLegacy.placedAt;
    }
    // Every third order came in by Order Import (so it alone has completedAt): the tie above is then
    // between an imported and a checked-out order, i.e. across the adapter's two sorted streams.
    for (const [n, order] of mine.entries()) if (n % 3 === 2) order.imported = true;
    orders.push(...mine);
  }
  addAwkwardOrders(orders.filter((o) => o.username === 'learner1'));
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
  const lines: SeedLine[] = Array.from({ length: random.int(1, 3) }, () => {
    const run = random.pick(runs);
    const certificateType = random.pick(['verified', 'verified', 'professional']);
    return {
      productId: 1000 + runs.indexOf(run) * 3,
      title: `${run.title} (${certificateType})`,
      description: `${run.title} (${certificateType})`,
      quantity: random.chance(0.1) ? random.int(2, 3) : 1,
      unitPriceMinor: random.pick(PRICES_CENTS),
      courseKey: run.key,
      certificateType,
      organization: run.org,
      status: 'Complete',
    };
  });
  const subtotal = lines.reduce((s, line) => s + line.unitPriceMinor * line.quantity, 0);
  const discounted = random.chance(0.2);
  const [processor, method] = random.pick(PAYMENT);
  return {
    number,
    username,
    email: `${username}@example.org`,
    placedAt,
    status: n === 0 ? 'Complete' : random.pick(STATUSES),
    currency: 'USD',
    lines,
    discountMinor: discounted ? Math.round(subtotal * 0.2) : 0,
    voucherCode: discounted ? `2U-SAVE${random.int(10, 99)}` : null,
    paymentProcessor: processor,
    paymentMethod: method,
  };
}

/**
 * What the happy path never produces, on learner1: a yen order, a cancelled one, a donation line, a
 * high-precision price, and every kind of commercetools discount at once. No random draws here, so the
 * rest of the dataset does not move when these change.
 */
function addAwkwardOrders(mine: SeedOrder[]): void {
  const [yen, cancelled, donation, precise, discounted] = [mine[4], mine[5], mine[6], mine[7], mine[8]];
  if (!yen || !cancelled || !donation || !precise || !discounted) return;
  yen.currency = 'JPY';
  yen.lines = [{ ...(yen.lines[0] as SeedLine), quantity: 1, unitPriceMinor: 1500 }];
  yen.discountMinor = 0;
  yen.voucherCode = null;
  cancelled.status = 'Cancelled';
  donation.lines = [
    ...donation.lines,
    {
      productId: 2,
      title: 'Donation to edX',
      description: 'Donation to edX',
      quantity: 1,
      unitPriceMinor: 1000,
      courseKey: null,
      certificateType: null,
      organization: null,
      status: 'Complete',
    },
  ];
  // $49.00 sent as highPrecision money (preciseAmount 490000, 4 fraction digits; centAmount 4900).
  precise.lines = precise.lines.map((line, i) =>
    i === 0 ? { ...line, unitPriceMinor: 4900, priceFractionDigits: 4 } : line,
  );
  // Two seats at $149.00, each $10.00 off by a product discount and $5.00 more by a cart discount on
  // the line, and $7.00 off the total: $37.00 of discounts in all.
  discounted.lines = discounted.lines.map((line, i) =>
    i === 0
      ? { ...line, quantity: 2, unitPriceMinor: 14900, productDiscountMinor: 1000, lineDiscountMinor: 500 }
      : line,
  );
  discounted.discountMinor = 700;
  discounted.voucherCode = '2U-SAVE7';
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
