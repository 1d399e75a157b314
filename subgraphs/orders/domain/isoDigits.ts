import { data } from 'currency-codes';

// Indexed once: the package's own lookup scans its list on every call, and every money value asks.
const DIGITS = new Map(data.map((record) => [record.code, record.digits]));

/**
 * The currency's minor-unit digits per ISO 4217, from the maintained `currency-codes` package (its
 * copy of the ISO list): USD 2, JPY 0, KWD 3, IDR 2, HUF 2; undefined for a code ISO does not list
 * (callers fall back to what the owning system used). Never the runtime's locale tables: `Intl`
 * follows CLDR, which gives IDR, HUF, COP, PKR and others 0 digits and IQD 0 instead of 3, and a
 * commercetools `centAmount` or a legacy decimal scaled by those shows 100× (or 1/100) its value.
 * Codes ISO lists without minor units ("N.A.": XAU, XDR, XXX) have 0.
 */
export function isoDigits(currency: string): number | undefined {
  return DIGITS.get(currency);
}
