import { createSeed, type Seed } from '../../simulators/seed/createSeed';
import type { SeedLine, SeedOrder } from '../../simulators/seed/SeedOrder';

/** The learner holding the orders below, in both systems; nobody else's history changes. */
export const MONEY_LEARNER = 'moneylearner';

/** One order of `currency` and what each system must show for it (the exact amount, ISO digits). */
export interface MoneyCase {
  currency: string;
  /** Minor units (ISO 4217 digits) of the one line's unit price, which is also the order total. */
  minor: number;
  /** The amount as the API must show it. */
  shown: string;
  legacyNumber: string;
  vendorNumber: string;
  /** Vendor only: the unit price as a high-precision amount (preciseAmount, fractionDigits). */
  precise?: { amount: number; fractionDigits: number; shown: string };
}

/**
 * Currencies where `Intl` (CLDR) and ISO 4217 disagree (IDR, HUF: 0 vs 2; IQD: 0 vs 3), a 3-digit
 * one (KWD), a 0-digit one (JPY), and a high-precision EUR price: docs/api.md, "Money".
 */
export const MONEY_CASES: readonly MoneyCase[] = [
  {
    currency: 'IDR',
    minor: 1_000_000,
    shown: '10000.00',
    legacyNumber: 'EDX-990001',
    vendorNumber: '2U-990001',
  },
  {
    currency: 'HUF',
    minor: 150_050,
    shown: '1500.50',
    legacyNumber: 'EDX-990002',
    vendorNumber: '2U-990002',
  },
  { currency: 'KWD', minor: 1_500, shown: '1.500', legacyNumber: 'EDX-990003', vendorNumber: '2U-990003' },
  { currency: 'JPY', minor: 1_500, shown: '1500', legacyNumber: 'EDX-990004', vendorNumber: '2U-990004' },
  { currency: 'IQD', minor: 25_000, shown: '25.000', legacyNumber: 'EDX-990005', vendorNumber: '2U-990005' },
  {
    currency: 'EUR',
    minor: 1_235,
    shown: '12.35',
    legacyNumber: 'EDX-990006',
    vendorNumber: '2U-990006',
    precise: { amount: 1_234_567, fractionDigits: 5, shown: '12.34567' },
  },
];

/** The default world plus MONEY_CASES as Complete orders of MONEY_LEARNER in both systems. */
export function moneySeed(): Seed {
  const seed = createSeed();
  const run = seed.courseRuns[0]!;
  const order = (c: MoneyCase, number: string, i: number, line: Partial<SeedLine>): SeedOrder => ({
    number,
    username: MONEY_LEARNER,
    email: `${MONEY_LEARNER}@example.org`,
    placedAt: new Date(Date.UTC(2026, 0, 20 - i, 10)).toISOString().replace('.000', ''),
    status: 'Complete',
    currency: c.currency,
    lines: [
      {
        productId: 1000,
        title: `${run.title} (verified)`,
        description: `${run.title} (verified)`,
        quantity: 1,
        unitPriceMinor: c.minor,
        courseKey: run.key,
        certificateType: 'verified',
        organization: run.org,
        status: 'Complete',
        ...line,
      },
    ],
    discountMinor: 0,
    voucherCode: null,
    paymentProcessor: 'cybersource',
    paymentMethod: 'Visa 1111',
  });
  return {
    ...seed,
    orders: [...seed.orders, ...MONEY_CASES.map((c, i) => order(c, c.legacyNumber, i, {}))],
    vendorOrders: [
      ...(seed.vendorOrders ?? []),
      ...MONEY_CASES.map((c, i) =>
        order(
          c,
          c.vendorNumber,
          i,
          c.precise
            ? { priceFractionDigits: c.precise.fractionDigits, unitPricePrecise: c.precise.amount }
            : {},
        ),
      ),
    ],
  };
}
