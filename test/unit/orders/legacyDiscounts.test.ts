import type { LegacyOrder } from '../../../subgraphs/orders/backends/legacy/dto';
import { legacyOrderSchema } from '../../../subgraphs/orders/backends/legacy/dto';
import { sumDecimals } from '../../../subgraphs/orders/backends/legacy/sumDecimals';
import { toOrder } from '../../../subgraphs/orders/backends/legacy/toOrder';

// The legacy `discount` field is the first OrderDiscount only (ecommerce api/serializers.py
// get_discount); the order's reduction is the sum of basket_discounts, whose amounts are raw Decimals,
// so JSON numbers (docs/reference/legacy-ecommerce.md).
const base: LegacyOrder = {
  number: 'EDX-100042',
  date_placed: '2024-03-02T10:15:00Z',
  status: 'Complete',
  currency: 'USD',
  total_excl_tax: '133.50',
  discount: '10.00',
  basket_discounts: [{ amount: 10 }, { amount: 5.5 }],
  payment_method: null,
  lines: [],
};
const options = { receiptBaseUrl: 'https://ecommerce.example.org/checkout/receipt/' };

describe('sumDecimals', () => {
  it.each([
    [[0.1, 0.2], '0.3'],
    [[10, '5.50'], '15.50'],
    [['1500.00', 300], '1800.00'],
    [[], '0'],
    [['-1.5', 1], '-0.5'],
  ])('%j → %s, exactly', (values, expected) => {
    expect(sumDecimals(values)).toBe(expected);
  });

  it('rejects what is not a finite decimal', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '1e3', 'ten', ''])
      expect(() => sumDecimals([bad])).toThrow(RangeError);
  });
});

describe('legacy toOrder discount', () => {
  it('is the sum of basket_discounts, not the first discount', () => {
    expect(toOrder(base, options).discount).toEqual({ amount: '15.50', currency: 'USD' });
  });

  it('is null when basket_discounts is empty or adds up to zero', () => {
    expect(toOrder({ ...base, discount: '0', basket_discounts: [] }, options).discount).toBeNull();
    expect(
      toOrder({ ...base, discount: '0.00', basket_discounts: [{ amount: 0 }] }, options).discount,
    ).toBeNull();
  });

  it('falls back to `discount` when an older ecommerce sends no basket_discounts', () => {
    const { basket_discounts: _, ...older } = base;
    expect(toOrder(older, options).discount).toEqual({ amount: '10.00', currency: 'USD' });
  });

  it('scales a yen sum to the currency’s digits', () => {
    const yen = { ...base, currency: 'JPY', basket_discounts: [{ amount: 300 }, { amount: '200.00' }] };
    expect(toOrder(yen, options).discount).toEqual({ amount: '500', currency: 'JPY' });
  });

  it('refuses a basket discount whose amount is neither a number nor a string', () => {
    const parsed = legacyOrderSchema.safeParse({ ...base, basket_discounts: [{ amount: null }] });
    expect(parsed.success).toBe(false);
  });
});
