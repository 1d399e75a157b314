import { isoDigits } from './isoDigits';
import { fromUnits, decimalText, parseDecimal, type DecimalAmount } from './DecimalAmount';
import type { Money } from './Order';

/**
 * Money as the schema shows it: the exact amount with the currency's ISO 4217 minor digits
 * (isoDigits: "149.00" USD, "1500" JPY, "1.500" KWD, "10000.00" IDR), and more only when the owning
 * system recorded more that are not zero (a commercetools high-precision price: "12.34567" EUR).
 * Nothing is ever rounded away. A code ISO does not list is shown with `fallbackDigits` (what the
 * owning system itself used): one odd currency must not take a learner's history down.
 */
export function toMoney(amount: DecimalAmount, currency: string, fallbackDigits: number): Money {
  return { amount: decimalText(amount, isoDigits(currency) ?? fallbackDigits), currency };
}

/** A decimal string ("1500.50", as the legacy API sends money) as Money in `currency`. */
export function formatMoney(decimal: string, currency: string): Money {
  const amount = parseDecimal(decimal);
  return toMoney(amount, currency, amount.scale);
}

/**
 * `count` units of 1/10^`fractionDigits` of `currency`: the digits come with the amount (a
 * commercetools money's own `fractionDigits`, as Commerce Coordinator divides by them), not from any
 * table, so an amount the system scaled its own way still comes out at its value.
 */
export function moneyFromUnits(count: number | bigint, fractionDigits: number, currency: string): Money {
  return toMoney(fromUnits(count, fractionDigits), currency, fractionDigits);
}
