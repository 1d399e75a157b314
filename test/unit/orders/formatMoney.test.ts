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
    expect(() => formatMoney(input, 'USD')).toThrow(RangeError);
  });

  it('knows the currency digits', () => {
    expect([currencyDigits('USD'), currencyDigits('JPY'), currencyDigits('KWD')]).toEqual([2, 0, 3]);
  });
});

describe('moneyFromMinor', () => {
  it.each([
    [4900, 2, 'USD', '49.00'],
    [14999, 2, 'USD', '149.99'],
    [5, 2, 'USD', '0.05'],
    [1500, 0, 'JPY', '1500'],
    [-250, 2, 'EUR', '-2.50'],
  ])('%i with %i digits %s → %s', (minor, digits, currency, amount) => {
    expect(moneyFromMinor(minor, digits, currency).amount).toBe(amount);
  });
});
