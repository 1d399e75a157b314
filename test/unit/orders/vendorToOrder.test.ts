import type { VendorOrder } from '../../../subgraphs/orders/backends/vendor/dto';
import { vendorOrderSchema } from '../../../subgraphs/orders/backends/vendor/dto';
import { toOrder } from '../../../subgraphs/orders/backends/vendor/toOrder';

const usd = (centAmount: number) => ({
  type: 'centPrecision' as const,
  currencyCode: 'USD',
  centAmount,
  fractionDigits: 2,
});

// A commercetools Order as the API sends it (docs/reference/upstream-apis.md §4), extra fields included.
const wire = {
  id: '8b4e5f2a-0000-4000-8000-000000000001',
  version: 7,
  orderNumber: '2U-000042',
  customerId: 'c-1',
  customerEmail: 'learner1@example.org',
  lineItems: [
    {
      id: 'li-1',
      productId: 'p-1',
      productKey: 'MichiganX+InjuryPreventionX',
      name: { 'en-US': 'Injury Prevention for Children & Teens', de: 'Unfallverhütung' },
      variant: { id: 1, sku: 'course-v1:MichiganX+InjuryPreventionX+1T2021', attributes: [] },
      price: { id: 'pr-1', value: usd(4900) },
      quantity: 2,
      totalPrice: usd(8820),
      state: [
        { quantity: 2, state: { typeId: 'state', id: 's-1', obj: { name: { 'en-US': 'Fulfilled' } } } },
      ],
    },
  ],
  totalPrice: usd(8820),
  discountOnTotalPrice: { discountedAmount: usd(980), includedDiscounts: [] },
  orderState: 'Complete',
  paymentState: 'Paid',
  paymentInfo: {
    payments: [
      {
        typeId: 'payment',
        id: 'pay-0',
        obj: { paymentMethodInfo: { method: 'card', name: { 'en-US': 'Visa 0002' } } },
      },
      {
        typeId: 'payment',
        id: 'pay-1',
        obj: { paymentMethodInfo: { method: 'card', name: { 'en-US': 'Visa 4242' } } },
      },
    ],
  },
  completedAt: '2024-03-02T10:15:00.000Z',
  createdAt: '2024-03-02T10:13:00.000Z',
  lastModifiedAt: '2024-05-30T08:00:00.000Z',
};
const base: VendorOrder = vendorOrderSchema.parse(wire);
const options = { receiptBaseUrl: 'https://vendor.example.org/receipt/' };
const variant = (overrides: Partial<VendorOrder>): VendorOrder => ({ ...base, ...overrides });

describe('vendor toOrder', () => {
  it('maps a commercetools order to the domain', () => {
    expect(toOrder(base, options)).toEqual({
      number: '2U-000042',
      placedAt: '2024-03-02T10:15:00Z',
      status: 'COMPLETE',
      total: { amount: '88.20', currency: 'USD' },
      discount: { amount: '9.80', currency: 'USD' },
      paymentMethod: 'Visa 4242',
      receiptUrl: 'https://vendor.example.org/receipt/?order_number=2U-000042',
      lines: [
        {
          title: 'Injury Prevention for Children & Teens',
          description: 'Injury Prevention for Children & Teens',
          quantity: 2,
          unitPrice: { amount: '49.00', currency: 'USD' },
          linePrice: { amount: '88.20', currency: 'USD' },
          status: 'Fulfilled',
          courseRunKey: 'course-v1:MichiganX+InjuryPreventionX+1T2021',
        },
      ],
    });
  });

  it('writes amounts with the currency’s digits: "49.00", never "49.0"; yen without decimals', () => {
    const yen = { currencyCode: 'JPY', centAmount: 1500, fractionDigits: 0 };
    const order = toOrder(variant({ totalPrice: usd(4900), discountOnTotalPrice: undefined }), options);
    expect(order.total.amount).toBe('49.00');
    expect(toOrder(variant({ totalPrice: yen }), options).total).toEqual({ amount: '1500', currency: 'JPY' });
  });

  // HighPrecisionMoney.raml: a highPrecision money's exact amount is preciseAmount in 1/10^fractionDigits
  // (its centAmount is that, rounded); docs/reference/vendor-commercetools.md, "Money".
  it('reads a highPrecision money at its own digits: 490000, 4 digits → "49.00"; 1234567, 5 → "12.34567"', () => {
    const precise = {
      type: 'highPrecision' as const,
      currencyCode: 'USD',
      centAmount: 4900,
      preciseAmount: 490000,
      fractionDigits: 4,
    };
    const line = { ...base.lineItems[0]!, price: { value: precise } };
    const order = toOrder(variant({ lineItems: [line] }), options);
    expect(order.lines[0]!.unitPrice).toEqual({ amount: '49.00', currency: 'USD' });
    const euro = {
      ...precise,
      currencyCode: 'EUR',
      centAmount: 1235,
      preciseAmount: 1234567,
      fractionDigits: 5,
    };
    const exact = toOrder(variant({ lineItems: [{ ...line, price: { value: euro } }] }), options);
    expect(exact.lines[0]!.unitPrice).toEqual({ amount: '12.34567', currency: 'EUR' });
    // Without preciseAmount a highPrecision money says nothing exact: malformed, not guessed.
    const bare = { type: 'highPrecision' as const, currencyCode: 'JPY', centAmount: 1500, fractionDigits: 3 };
    expect(() => toOrder(variant({ totalPrice: bare }), options)).toThrow(RangeError);
  });

  // CentPrecisionMoney.raml: centAmount in the money's own fractionDigits, which are ISO 4217's (IDR 2,
  // where Intl says 0); non-standard currencies (NonStandardCurrency.raml) are the ISO one without digits.
  it('scales a centPrecision money by its own fractionDigits: IDR 1000000 → "10000.00", HUF0 1500 → "1500.00" HUF', () => {
    const idr = {
      type: 'centPrecision' as const,
      currencyCode: 'IDR',
      centAmount: 1_000_000,
      fractionDigits: 2,
    };
    expect(toOrder(variant({ totalPrice: idr }), options).total).toEqual({
      amount: '10000.00',
      currency: 'IDR',
    });
    const huf0 = {
      type: 'centPrecision' as const,
      currencyCode: 'HUF0',
      centAmount: 1500,
      fractionDigits: 0,
    };
    expect(toOrder(variant({ totalPrice: huf0 }), options).total).toEqual({
      amount: '1500.00',
      currency: 'HUF',
    });
  });

  // CC's calculate_total_discount_on_order (commerce_coordinator/apps/commercetools/utils.py) adds all
  // three; the line kinds are per unit, so they count once per unit (LineItem.raml).
  it('sums the discount on the total, line-targeted cart discounts and product discounts, per unit', () => {
    const line = {
      ...base.lineItems[0]!,
      quantity: 2,
      price: { value: usd(4900), discounted: { value: usd(3900) } },
      discountedPricePerQuantity: [
        {
          quantity: 2,
          discountedPrice: {
            value: usd(3400),
            includedDiscounts: [{ discountedAmount: usd(300) }, { discountedAmount: usd(200) }],
          },
        },
      ],
      totalPrice: usd(6800),
    };
    const order = toOrder(
      variant({ lineItems: [line], discountOnTotalPrice: { discountedAmount: usd(980) } }),
      options,
    );
    // 9.80 + 2 × (3.00 + 2.00) + 2 × (49.00 − 39.00)
    expect(order.discount).toEqual({ amount: '39.80', currency: 'USD' });
    const noTotal = toOrder(variant({ lineItems: [line], discountOnTotalPrice: undefined }), options);
    expect(noTotal.discount).toEqual({ amount: '30.00', currency: 'USD' });
  });

  it('places the order at completedAt, else createdAt, never lastModifiedAt', () => {
    expect(toOrder(base, options).placedAt).toBe('2024-03-02T10:15:00Z');
    const native = toOrder(variant({ completedAt: undefined }), options);
    expect(native.placedAt).toBe('2024-03-02T10:13:00Z');
    const precise = toOrder(variant({ completedAt: '2024-03-02T10:15:00.250Z' }), options);
    expect(precise.placedAt).toBe('2024-03-02T10:15:00.250Z');
  });

  it.each([
    ['Open', 'OPEN'],
    ['Confirmed', 'PENDING'],
    ['Complete', 'COMPLETE'],
    ['Cancelled', 'CANCELLED'],
  ])('maps orderState %s to %s', (state, status) => {
    expect(toOrder(variant({ orderState: state }), options).status).toBe(status);
  });

  it('shows an open or confirmed order whose payment failed as PAYMENT_ERROR, a complete one as COMPLETE', () => {
    expect(toOrder(variant({ orderState: 'Open', paymentState: 'Failed' }), options).status).toBe(
      'PAYMENT_ERROR',
    );
    expect(toOrder(variant({ orderState: 'Confirmed', paymentState: 'Failed' }), options).status).toBe(
      'PAYMENT_ERROR',
    );
    expect(toOrder(variant({ orderState: 'Complete', paymentState: 'Failed' }), options).status).toBe(
      'COMPLETE',
    );
    expect(toOrder(variant({ orderState: 'Open', paymentState: 'Pending' }), options).status).toBe('OPEN');
  });

  it('keeps CANCELLED when the payment failed or is owed back', () => {
    for (const paymentState of ['Failed', 'CreditOwed']) {
      expect(toOrder(variant({ orderState: 'Cancelled', paymentState }), options).status).toBe('CANCELLED');
    }
  });

  it('reports an unmapped state and shows it as UNKNOWN', () => {
    const unknown: string[] = [];
    const order = toOrder(variant({ orderState: 'Archived' }), {
      ...options,
      onUnknownStatus: (state, number) => unknown.push(`${state} ${number}`),
    });
    expect(order.status).toBe('UNKNOWN');
    expect(unknown).toEqual(['Archived 2U-000042']);
  });

  it('prefers the en name, then en-US, then any locale', () => {
    const named = (name: Record<string, string>) =>
      toOrder(variant({ lineItems: [{ ...base.lineItems[0]!, name }] }), options).lines[0]!.title;
    expect(named({ de: 'Kurs', 'en-US': 'Course (US)', en: 'Course' })).toBe('Course');
    expect(named({ de: 'Kurs', 'en-US': 'Course (US)' })).toBe('Course (US)');
    expect(named({ de: 'Kurs' })).toBe('Kurs');
    expect(() => named({})).toThrow(RangeError);
  });

  it('leaves out what is not there: no SKU, no discount, no payment, no line state', () => {
    const line = { ...base.lineItems[0]!, variant: {}, state: undefined };
    const order = toOrder(
      variant({
        lineItems: [line],
        discountOnTotalPrice: { discountedAmount: usd(0) },
        paymentInfo: undefined,
      }),
      options,
    );
    expect(order.lines[0]).toMatchObject({ courseRunKey: null, status: null });
    expect(order.discount).toBeNull();
    expect(order.paymentMethod).toBeNull();
  });

  it('rejects a body without the fields we read', () => {
    const { totalPrice: _missing, ...rest } = wire;
    expect(vendorOrderSchema.safeParse(rest).success).toBe(false);
  });
});
