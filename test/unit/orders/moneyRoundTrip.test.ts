import fc from 'fast-check';
import { codes } from 'currency-codes';
import { toLegacyOrder } from '../../../simulators/legacy/toLegacyOrder';
import { createSeed } from '../../../simulators/seed/createSeed';
import { decimalOfUnits, type SeedLine, type SeedOrder } from '../../../simulators/seed/SeedOrder';
import { toVendorOrder } from '../../../simulators/vendor/toVendorOrder';
import { legacyOrderSchema } from '../../../subgraphs/orders/backends/legacy/dto';
import { toOrder as legacyToOrder } from '../../../subgraphs/orders/backends/legacy/toOrder';
import { vendorOrderSchema } from '../../../subgraphs/orders/backends/vendor/dto';
import { toOrder as vendorToOrder } from '../../../subgraphs/orders/backends/vendor/toOrder';
import { isoDigits } from '../../../subgraphs/orders/domain/isoDigits';
import type { Money } from '../../../subgraphs/orders/domain/Order';

// Issue 22, "Money": for every ISO 4217 currency (the currency-codes list), an amount issued by a
// simulator as its real system issues it comes out of our adapter exact, with ISO's minor digits:
// commercetools money with its per-value fractionDigits (and HighPrecisionMoney), and the legacy
// API's two-place decimals. Integers all the way: no float could pass this for KWD or a 7-digit price.
const template = createSeed().vendorOrders![0]!;
const base = (currency: string, line: Partial<SeedLine>): SeedOrder => ({
  ...template,
  currency,
  lines: [{ ...template.lines[0]!, quantity: 1, ...line }],
  discountMinor: 0,
  voucherCode: null,
  discounts: undefined,
});
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const fractionDigitsOf = (money: Money) => money.amount.split('.')[1]?.length ?? 0;
/** The exact amount `units` / 10^`scale`, trailing zeros past `digits` dropped. */
const exact = (units: bigint, scale: number, digits: number): string => {
  let text = decimalOfUnits(units, scale);
  while (scale > digits && text.endsWith('0')) {
    text = text.slice(0, -1);
    scale--;
  }
  if (text.endsWith('.')) text = text.slice(0, -1);
  return scale < digits
    ? decimalOfUnits(BigInt(text.replace('.', '')) * 10n ** BigInt(digits - scale), digits)
    : text;
};
// Up to 10^12 minor units: past any price, and far inside the safe integers at every scale used below.
const minorUnits = fc.bigInt({ min: 0n, max: 10n ** 12n });
// A high-precision price adds up to 6 digits: 10^9 × 10^6 stays under 2^53 (JSON numbers past it are
// already rounded when parsed, so the adapter refuses them as malformed).
const preciseMinorUnits = fc.bigInt({ min: 0n, max: 10n ** 9n });

const currencies = codes();

it('covers the whole ISO 4217 list', () => {
  expect(currencies.length).toBeGreaterThan(150);
  expect(currencies).toEqual(
    expect.arrayContaining(['IDR', 'HUF', 'COP', 'PKR', 'IQD', 'KWD', 'JPY', 'EUR']),
  );
});

describe.each(currencies)('%s', (currency) => {
  const digits = isoDigits(currency)!;

  it('vendor: a centPrecision amount comes back exact, in ISO digits', () => {
    fc.assert(
      fc.property(minorUnits, (minor) => {
        const wire = viaJson(toVendorOrder(base(currency, { unitPriceMinor: Number(minor) }), 'customer-1'));
        const order = vendorToOrder(vendorOrderSchema.parse(wire), {
          receiptBaseUrl: 'https://receipts.test/',
        });
        const expected = decimalOfUnits(minor, digits);
        expect(order.total).toEqual({ amount: expected, currency });
        expect(order.lines[0]!.unitPrice).toEqual({ amount: expected, currency });
        expect(fractionDigitsOf(order.total)).toBe(digits);
      }),
      { numRuns: 20 },
    );
  });

  it('vendor: a highPrecision price comes back exact, at its own digits (never fewer than ISO’s)', () => {
    fc.assert(
      fc.property(
        preciseMinorUnits,
        fc.integer({ min: 1, max: 6 }),
        fc.bigInt({ min: 0n, max: 999_999n }),
        (minor, extra, sub) => {
          const fractionDigits = digits + extra;
          const precise = minor * 10n ** BigInt(extra) + (sub % 10n ** BigInt(extra));
          const line = {
            unitPriceMinor: Number(minor),
            priceFractionDigits: fractionDigits,
            unitPricePrecise: Number(precise),
          };
          const wire = viaJson(toVendorOrder(base(currency, line), 'customer-1'));
          const order = vendorToOrder(vendorOrderSchema.parse(wire), {
            receiptBaseUrl: 'https://receipts.test/',
          });
          expect(order.lines[0]!.unitPrice).toEqual({
            amount: exact(precise, fractionDigits, digits),
            currency,
          });
          expect(fractionDigitsOf(order.lines[0]!.unitPrice!)).toBeGreaterThanOrEqual(digits);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('legacy: a two-place decimal comes back exact, in ISO digits', () => {
    // Oscar keeps two places: a currency with more keeps whole hundredths only.
    const step = digits > 2 ? 10n ** BigInt(digits - 2) : 1n;
    fc.assert(
      fc.property(minorUnits, (raw) => {
        const minor = raw - (raw % step);
        const wire = viaJson(
          toLegacyOrder(base(currency, { unitPriceMinor: Number(minor) }), 'https://legacy.test'),
        );
        const order = legacyToOrder(legacyOrderSchema.parse(wire), {
          receiptBaseUrl: 'https://receipts.test/',
        });
        const expected = decimalOfUnits(minor, digits);
        expect(order.total).toEqual({ amount: expected, currency });
        expect(order.lines[0]!.linePrice).toEqual({ amount: expected, currency });
        expect(fractionDigitsOf(order.total)).toBe(digits);
      }),
      { numRuns: 20 },
    );
  });
});
