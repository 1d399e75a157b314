import { codes } from 'currency-codes';
import { isoDigits } from '../../../subgraphs/orders/domain/isoDigits';
import {
  addAmounts,
  decimalText,
  fromUnits,
  parseDecimal,
} from '../../../subgraphs/orders/domain/DecimalAmount';
import { formatMoney, moneyFromUnits } from '../../../subgraphs/orders/domain/formatMoney';

describe('isoDigits: ISO 4217, never the runtime’s locale tables', () => {
  it.each([
    ['USD', 2],
    ['JPY', 0],
    ['KWD', 3],
    // Where CLDR (Intl) says otherwise: 0 for each of these, but ISO 4217 gives them minor units.
    ['IDR', 2],
    ['HUF', 2],
    ['COP', 2],
    ['PKR', 2],
    ['IQD', 3],
    // Units of account with four, and codes ISO lists without minor units ("N.A.").
    ['CLF', 4],
    ['XAU', 0],
  ])('%s has %i', (currency, digits) => expect(isoDigits(currency)).toBe(digits));

  it('differs from Intl for the currencies the issue names (so the test would catch a regression)', () => {
    const intl = (c: string) =>
      new Intl.NumberFormat('en', { style: 'currency', currency: c }).resolvedOptions().maximumFractionDigits;
    const differing = ['IDR', 'HUF', 'COP', 'PKR', 'IQD'].filter((c) => intl(c) !== isoDigits(c));
    expect(differing.length).toBeGreaterThan(0);
  });

  it('knows every code of the ISO list, and nothing else', () => {
    expect(codes().length).toBeGreaterThan(150);
    for (const code of codes()) expect(Number.isInteger(isoDigits(code))).toBe(true);
    for (const other of ['usd', 'US', 'ABC', 'HUF0', '']) expect(isoDigits(other)).toBeUndefined();
  });
});

describe('formatMoney: a decimal string, exact, in ISO digits', () => {
  it.each([
    ['149.00', 'USD', '149.00'],
    ['49', 'USD', '49.00'],
    ['49.0', 'USD', '49.00'],
    ['1500.00', 'JPY', '1500'],
    ['0', 'USD', '0.00'],
    ['1500.50', 'HUF', '1500.50'],
    ['10000.00', 'IDR', '10000.00'],
    ['1.50', 'KWD', '1.500'],
    ['1.2345', 'KWD', '1.2345'],
    ['0.125', 'USD', '0.125'],
    ['-10.5', 'EUR', '-10.50'],
    ['199.99', 'USD', '199.99'],
  ])('%s %s → %s', (input, currency, amount) => {
    expect(formatMoney(input, currency)).toEqual({ amount, currency });
  });

  it.each(['', 'abc', '1,000.00', '1e3', '12.'])('rejects %j', (input) => {
    expect(() => formatMoney(input, 'USD')).toThrow(
      new RangeError(`not a decimal amount: ${JSON.stringify(input)}`),
    );
  });

  it('reads an amount with surrounding whitespace, as upstream JSON sometimes carries it', () => {
    expect(formatMoney(' 49.5\n', 'USD')).toEqual({ amount: '49.50', currency: 'USD' });
  });

  it('shows a currency ISO does not list in the digits it came with, rather than failing', () => {
    expect(formatMoney('12.5', 'ABC')).toEqual({ amount: '12.5', currency: 'ABC' });
    expect(moneyFromUnits(1250, 2, 'ABC')).toEqual({ amount: '12.50', currency: 'ABC' });
  });

  it('never shows a negative zero', () => {
    expect(formatMoney('-0.00', 'USD')).toEqual({ amount: '0.00', currency: 'USD' });
    expect(formatMoney('-0', 'JPY')).toEqual({ amount: '0', currency: 'JPY' });
  });
});

describe('moneyFromUnits: a count of 1/10^digits, digits from the amount itself', () => {
  it.each([
    [4900, 2, 'USD', '49.00'],
    [5, 2, 'USD', '0.05'],
    [1500, 0, 'JPY', '1500'],
    [-250, 2, 'EUR', '-2.50'],
    [1500, 3, 'KWD', '1.500'],
    // A commercetools IDR order: centAmount 1000000 with fractionDigits 2 is 10 000 rupiah, not 1 000 000.
    [1000000, 2, 'IDR', '10000.00'],
    // High precision: preciseAmount 123456 with 7 digits (the commercetools spec's own example).
    [123456, 7, 'EUR', '0.0123456'],
    [490000, 4, 'USD', '49.00'],
  ])('%i / 10^%i %s → %s', (units, digits, currency, amount) => {
    expect(moneyFromUnits(units, digits, currency).amount).toBe(amount);
  });

  it('refuses a non-integer count, and one past the safe integers (a float has rounded it)', () => {
    expect(() => moneyFromUnits(49.5, 2, 'USD')).toThrow(new RangeError('not an integer amount: 49.5'));
    expect(() => moneyFromUnits(2 ** 53, 2, 'USD')).toThrow(RangeError);
  });
});

describe('DecimalAmount', () => {
  it('adds exactly: 0.1 + 0.2 is 0.3', () => {
    expect(decimalText(addAmounts(parseDecimal('0.1'), parseDecimal('0.2')), 0)).toBe('0.3');
    expect(decimalText(addAmounts(fromUnits(1, 7), fromUnits(-1, 7)), 2)).toBe('0.00');
  });
});
