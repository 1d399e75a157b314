import type { Money } from './Order';

const digitsCache = new Map<string, number>();

/** The currency's minor digits per ISO 4217 as Intl knows them: USD 2, JPY 0, KWD 3. */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    // Throws RangeError for a code that is not three letters; callers treat that as a malformed upstream value.
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Re-scales a decimal string to the currency's digits without ever going through a float
 * ("1500.00" JPY → "1500", "49" USD → "49.00", "0.125" USD → "0.13", half away from zero).
 */
export function formatMoney(decimal: string, currency: string): Money {
  const match = DECIMAL.exec(decimal.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(decimal)}`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  const digits = currencyDigits(currency);
  let scaled = BigInt(whole + fraction.padEnd(digits, '0').slice(0, digits));
  const dropped = fraction.slice(digits);
  if (dropped !== '' && Number(dropped[0]) >= 5) scaled += 1n;
  const text = scaled.toString().padStart(digits + 1, '0');
  const amount = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return { amount: scaled === 0n ? amount : `${sign}${amount}`, currency };
}

/**
 * Money from an integer count of the currency's minor units (ISO 4217: cents for USD, yen for JPY, fils
 * for KWD). This is what a commercetools `centAmount` is, whatever the money's type: for
 * `highPrecision` money the `fractionDigits` describe `preciseAmount`, never `centAmount`
 * (docs/reference/vendor-commercetools.md, "Money"), so they are not an argument here.
 */
export function moneyFromMinor(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount: ${minor}`);
  const digits = currencyDigits(currency);
  const text = Math.abs(minor)
    .toString()
    .padStart(digits + 1, '0');
  const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return formatMoney(`${minor < 0 ? '-' : ''}${decimal}`, currency);
}
