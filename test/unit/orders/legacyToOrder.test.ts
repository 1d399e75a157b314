import { toOrder } from '../../../subgraphs/orders/backends/legacy/toOrder';
import type { LegacyOrder } from '../../../subgraphs/orders/backends/legacy/dto';

const base: LegacyOrder = {
  number: 'EDX-100042',
  date_placed: '2024-03-02T10:15:00Z',
  status: 'Complete',
  currency: 'USD',
  total_excl_tax: '149.00',
  discount: '0',
  payment_method: 'Visa 1111',
  lines: [
    {
      title: 'Seat in Demo',
      description: 'Seat in Demo with verified certificate',
      quantity: 2,
      status: 'Complete',
      line_price_excl_tax: '298.00',
      unit_price_excl_tax: '149.00',
      product: {
        attribute_values: [
          { code: 'course_key', name: 'course_key', value: 'course-v1:edX+DemoX+Demo_Course' },
        ],
      },
    },
  ],
};
const options = { receiptBaseUrl: 'https://ecommerce.example.org/checkout/receipt/' };

describe('legacy toOrder', () => {
  it('maps the OrderSerializer shape to the domain', () => {
    expect(toOrder(base, options)).toEqual({
      number: 'EDX-100042',
      placedAt: '2024-03-02T10:15:00Z',
      status: 'COMPLETE',
      total: { amount: '149.00', currency: 'USD' },
      discount: null,
      paymentMethod: 'Visa 1111',
      receiptUrl: 'https://ecommerce.example.org/checkout/receipt/?order_number=EDX-100042',
      lines: [
        {
          title: 'Seat in Demo',
          description: 'Seat in Demo with verified certificate',
          quantity: 2,
          unitPrice: { amount: '149.00', currency: 'USD' },
          linePrice: { amount: '298.00', currency: 'USD' },
          status: 'Complete',
          courseRunKey: 'course-v1:edX+DemoX+Demo_Course',
        },
      ],
    });
  });

  it.each([
    ['Open', 'OPEN'],
    ['Pending', 'PENDING'],
    ['Fulfillment Error', 'FULFILLMENT_ERROR'],
    ['Payment Error', 'PAYMENT_ERROR'],
  ])('maps status %s → %s', (status, expected) => {
    expect(toOrder({ ...base, status }, options).status).toBe(expected);
  });

  it('reports an unknown status and maps it to UNKNOWN instead of failing', () => {
    const seen: string[] = [];
    const order = toOrder(
      { ...base, status: 'Chargeback Review' },
      { ...options, onUnknownStatus: (s, n) => seen.push(`${s}/${n}`) },
    );
    expect(order.status).toBe('UNKNOWN');
    expect(seen).toEqual(['Chargeback Review/EDX-100042']);
  });

  it('keeps a real discount and formats JPY without minor digits', () => {
    const order = toOrder(
      { ...base, currency: 'JPY', total_excl_tax: '1500.00', discount: '300.00' },
      options,
    );
    expect(order.total).toEqual({ amount: '1500', currency: 'JPY' });
    expect(order.discount).toEqual({ amount: '300', currency: 'JPY' });
  });

  it('gives a line without a course_key attribute no course run', () => {
    const line = { ...base.lines[0]!, product: { attribute_values: [] } };
    expect(toOrder({ ...base, lines: [line] }, options).lines[0]!.courseRunKey).toBeNull();
  });

  it('rejects an unparseable timestamp', () => {
    expect(() => toOrder({ ...base, date_placed: 'yesterday' }, options)).toThrow(RangeError);
  });
});
