/**
 * An exact decimal: `units` / 10^`scale`. Money is added, multiplied and rescaled as integers
 * (bigint), never as floats, so 0.1 + 0.2 is 0.3 and a commercetools `preciseAmount` keeps every digit.
 */
export interface DecimalAmount {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** "1500.50" → 150050 / 10^2. Throws RangeError for anything but a plain decimal (no exponent, no comma). */
export function parseDecimal(text: string): DecimalAmount {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const units = BigInt(whole + fraction);
  return { units: sign === '-' ? -units : units, scale: fraction.length };
}

/**
 * `count` units of 1/10^`scale`: a commercetools `centAmount` with its `fractionDigits`, or a
 * `preciseAmount` with its own. A number must be a safe integer: past 2^53 JSON parsing has already
 * rounded it, so it is refused rather than shown wrong.
 */
export function fromUnits(count: number | bigint, scale: number): DecimalAmount {
  if (typeof count === 'number' && !Number.isSafeInteger(count))
    throw new RangeError(`not an integer amount: ${count}`);
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`not a fraction digit count: ${scale}`);
  return { units: BigInt(count), scale };
}

export const ZERO: DecimalAmount = { units: 0n, scale: 0 };

/** The same value with `scale` digits (at least its own: never rounds). */
function widen(amount: DecimalAmount, scale: number): bigint {
  return amount.units * 10n ** BigInt(scale - amount.scale);
}

export function addAmounts(a: DecimalAmount, b: DecimalAmount): DecimalAmount {
  const scale = Math.max(a.scale, b.scale);
  return { units: widen(a, scale) + widen(b, scale), scale };
}

export function subtractAmounts(a: DecimalAmount, b: DecimalAmount): DecimalAmount {
  return addAmounts(a, { units: -b.units, scale: b.scale });
}

export function timesCount(amount: DecimalAmount, count: number): DecimalAmount {
  return { units: amount.units * BigInt(count), scale: amount.scale };
}

export const isZero = (amount: DecimalAmount): boolean => amount.units === 0n;

/**
 * The decimal text with at least `minDigits` fraction digits and no more than the value needs beyond
 * them: (150050, 2) at 2 → "1500.50"; (490000, 4) at 2 → "49.00"; (1234567, 5) at 2 → "12.34567";
 * (15, 1) at 0 → "1.5". Exact: digits are only ever added or dropped as zeros. Never "-0".
 */
export function decimalText(amount: DecimalAmount, minDigits: number): string {
  let { units, scale } = amount;
  while (scale > minDigits && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  if (scale < minDigits) {
    units *= 10n ** BigInt(minDigits - scale);
    scale = minDigits;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
