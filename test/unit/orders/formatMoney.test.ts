import { currencyDigits, formatMoney, moneyFromMinor } from '../../../subgraphs/orders/domain/formatMoney';

describe('formatMoney', () => {
  it.each([
    ['149.00', 'USD', '149.00'],
    ['49', 'USD', '49.00'],
    ['49.0', 'USD', '49.00'],
    ['1500.00', 'JPY', '1500'],
    ['0', 'USD', '0.00'],
    ['0.125', 'USD', '0.13'],
    ['0.124', 'USD', '0.12'],
    ['-10.5', 'EUR', '-10.50'],
    ['1.2345', 'KWD', '1.235'],
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

  it('never shows a negative zero: a refund rounding to nothing is 0.00, not -0.00', () => {
    expect(formatMoney('-0.001', 'USD')).toEqual({ amount: '0.00', currency: 'USD' });
    expect(formatMoney('-0.4', 'JPY')).toEqual({ amount: '0', currency: 'JPY' });
  });

  it('knows the currency digits', () => {
    expect([currencyDigits('USD'), currencyDigits('JPY'), currencyDigits('KWD')]).toEqual([2, 0, 3]);
  });
});

describe('moneyFromMinor', () => {
  it.each([
    [4900, 'USD', '49.00'],
    [14999, 'USD', '149.99'],
    [5, 'USD', '0.05'],
    [1500, 'JPY', '1500'],
    [-250, 'EUR', '-2.50'],
    [1235, 'KWD', '1.235'],
  ])('%i minor units of %s → %s (the currency’s own digits, ISO 4217)', (minor, currency, amount) => {
    expect(moneyFromMinor(minor, currency).amount).toBe(amount);
  });

  it('refuses a non-integer count of minor units', () => {
    expect(() => moneyFromMinor(49.5, 'USD')).toThrow(new RangeError('not an integer amount: 49.5'));
  });

  it('refuses a count beyond the safe integers, which a float has already rounded', () => {
    expect(() => moneyFromMinor(2 ** 53, 'USD')).toThrow(new RangeError(`not an integer amount: ${2 ** 53}`));
  });
});
