const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Exact sum of decimal amounts as the legacy API sends them: decimal strings, or JSON numbers where a
 * serializer returned a raw Decimal (DRF's encoder writes `float(Decimal)`, e.g. `basket_discounts[]
 * .amount`; docs/reference/legacy-ecommerce.md). Summed as scaled integers, never as floats, so
 * 0.1 + 0.2 is "0.3". Throws RangeError for anything that is not a finite decimal.
 */
export function sumDecimals(values: readonly (string | number)[]): string {
  const parsed = values.map(toParts);
  const scale = Math.max(0, ...parsed.map((p) => p.fraction.length));
  let total = 0n;
  for (const { negative, whole, fraction } of parsed) {
    const scaled = BigInt(whole + fraction.padEnd(scale, '0'));
    total += negative ? -scaled : scaled;
  }
  const sign = total < 0n ? '-' : '';
  const digits = (total < 0n ? -total : total).toString().padStart(scale + 1, '0');
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function toParts(value: string | number): { negative: boolean; whole: string; fraction: string } {
  // A float's shortest round-trip text is the Decimal it was made from (9.8, not 9.800000000000001);
  // tiny or huge ones print in exponent form, which no money amount takes.
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole = '0', fraction = ''] = match;
  return { negative: sign === '-', whole, fraction };
}
