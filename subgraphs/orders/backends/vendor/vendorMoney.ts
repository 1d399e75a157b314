import { fromUnits, type DecimalAmount } from '../../domain/DecimalAmount';
import { toMoney } from '../../domain/formatMoney';
import type { Money } from '../../domain/Order';
import type { VendorMoney } from './dto';

/**
 * The exact amount of a commercetools money value, scaled by its own `fractionDigits` as Commerce
 * Coordinator scales it (`get_quantized_amount`: `cent_amount / 10 ** fraction_digits`): a
 * `centPrecision` money is `centAmount` in those digits; a `highPrecision` one is `preciseAmount` in
 * them (`HighPrecisionMoney.raml`: "Amount in 1 / (10 ^ fractionDigits) of a currency"), whose
 * `centAmount` is only its rounding. docs/reference/vendor-commercetools.md, "Money".
 */
export function vendorAmount(money: VendorMoney): DecimalAmount {
  if (money.type === 'highPrecision' || money.preciseAmount !== undefined) {
    if (money.preciseAmount === undefined) throw new RangeError('highPrecision money without preciseAmount');
    return fromUnits(money.preciseAmount, money.fractionDigits);
  }
  return fromUnits(money.centAmount, money.fractionDigits);
}

/**
 * The ISO 4217 code of a commercetools currency. commercetools also has "non-standard" currencies,
 * the ISO code and a `0` (`HUF0`, `CZK0`, …: `NonStandardCurrency.raml`), for prices kept without
 * minor units: the amount is the same forint, so it is shown as `HUF`, in ISO's digits.
 */
export function vendorCurrency(currencyCode: string): string {
  return /^[A-Z]{3}0$/.test(currencyCode) ? currencyCode.slice(0, 3) : currencyCode;
}

/**
 * A code ISO 4217 does not list is shown in the digits commercetools gave it: a `centPrecision`
 * money's `fractionDigits` are its currency's default (CentPrecisionMoney.raml).
 */
export function vendorMoney(money: VendorMoney): Money {
  return toMoney(vendorAmount(money), vendorCurrency(money.currencyCode), fallbackDigits(money));
}

export function fallbackDigits(money: VendorMoney): number {
  return money.type === 'highPrecision' || money.preciseAmount !== undefined ? 0 : money.fractionDigits;
}
