import { diffOrderLists } from '../../../subgraphs/orders/layers/shadow/diffOrderLists';
import { normaliseOrder } from '../../../subgraphs/orders/layers/shadow/normaliseOrder';
import type { Order, OrderLine } from '../../../subgraphs/orders/domain/Order';

const usd = (amount: string) => ({ amount, currency: 'USD' });
const line = (courseRunKey: string | null, title: string, unit = '49.00'): OrderLine => ({
  title,
  description: `${title} (legacy description)`,
  quantity: 1,
  unitPrice: usd(unit),
  linePrice: usd(unit),
  status: 'Complete',
  courseRunKey,
});
const order = (number: string, patch: Partial<Order> = {}): Order => ({
  number,
  placedAt: '2025-03-01T10:00:00Z',
  status: 'COMPLETE',
  total: usd('98.00'),
  discount: null,
  paymentMethod: 'Visa 4242',
  receiptUrl: `https://legacy.example.org/checkout/receipt/?order_number=${number}`,
  lines: [line('course-v1:A+B+1T2025', 'Course A'), line('course-v1:C+D+2T2025', 'Course C')],
  ...patch,
});

describe('normaliseOrder', () => {
  it('spells money, instants and line order one way, and drops what systems differ on by design', () => {
    const legacy = order('EDX-1');
    const vendor = order('EDX-1', {
      placedAt: '2025-03-01T10:00:00.000Z',
      total: { amount: '98', currency: 'usd' },
      receiptUrl: 'https://vendor.example.org/receipt/?order_number=EDX-1',
      lines: [
        { ...line('course-v1:C+D+2T2025', 'Course C', '49'), description: 'Course C', status: 'Shipped' },
        { ...line('course-v1:A+B+1T2025', 'Course A  '), description: 'Course A', status: null },
      ],
    });
    expect(normaliseOrder(vendor)).toEqual(normaliseOrder(legacy));
    expect(normaliseOrder(legacy)).toEqual({
      number: 'EDX-1',
      placedAt: '2025-03-01T10:00:00Z',
      status: 'COMPLETE',
      total: '98.00 USD',
      discount: null,
      paymentMethod: 'Visa 4242',
      lines: [
        {
          title: 'Course A',
          quantity: 1,
          unitPrice: '49.00 USD',
          linePrice: '49.00 USD',
          courseRunKey: 'course-v1:A+B+1T2025',
        },
        {
          title: 'Course C',
          quantity: 1,
          unitPrice: '49.00 USD',
          linePrice: '49.00 USD',
          courseRunKey: 'course-v1:C+D+2T2025',
        },
      ],
    });
  });

  it('keeps a value it cannot read as sent, so it shows up as a difference instead of crashing', () => {
    const odd = normaliseOrder(order('EDX-1', { placedAt: 'yesterday', total: usd('n/a') }));
    expect(odd).toMatchObject({ placedAt: 'yesterday', total: 'n/a USD' });
  });
});

describe('diffOrderLists', () => {
  it('finds nothing between identical lists, and counts every field as a match', () => {
    const orders = [order('EDX-3'), order('EDX-2'), order('EDX-1')];
    const diff = diffOrderLists(orders, structuredClone(orders));
    expect(diff).toMatchObject({
      matched: ['EDX-3', 'EDX-2', 'EDX-1'],
      mismatched: [],
      missingInShadow: [],
      missingInPrimary: [],
    });
    expect(Object.values(diff.fields).every((f) => f.match === 3 && f.mismatch === 0)).toBe(true);
  });

  it('reports each differing field with both normalised values', () => {
    const primary = [order('EDX-1'), order('EDX-2'), order('EDX-3')];
    const shadow = [
      order('EDX-1', { status: 'PENDING', discount: usd('10') }),
      order('EDX-2', {
        lines: [line('course-v1:A+B+1T2025', 'Course A', '59.00'), line('course-v1:C+D+2T2025', 'Course C')],
      }),
      order('EDX-3', { lines: [line(null, 'Course A')] }),
    ];
    const diff = diffOrderLists(primary, shadow);
    expect(diff.matched).toEqual([]);
    expect(diff.mismatched).toEqual([
      {
        number: 'EDX-1',
        differences: [
          { field: 'status', primary: 'COMPLETE', shadow: 'PENDING' },
          { field: 'discount', primary: null, shadow: '10.00 USD' },
        ],
      },
      {
        number: 'EDX-2',
        differences: [
          { field: 'lines.unitPrice', primary: '49.00 USD', shadow: '59.00 USD' },
          { field: 'lines.linePrice', primary: '49.00 USD', shadow: '59.00 USD' },
        ],
      },
      { number: 'EDX-3', differences: [{ field: 'lines', primary: 2, shadow: 1 }] },
    ]);
    expect(diff.fields.status).toEqual({ match: 2, mismatch: 1 });
    expect(diff.fields['lines.unitPrice']).toEqual({ match: 1, mismatch: 1 });
    // Lines that cannot be paired are not compared field by field.
    expect(diff.fields['lines.title']).toEqual({ match: 2, mismatch: 0 });
    expect(diff.fields.lines).toEqual({ match: 2, mismatch: 1 });
  });

  it('lists orders only one side has', () => {
    const diff = diffOrderLists([order('EDX-1'), order('EDX-2')], [order('EDX-2'), order('2U-000001')]);
    expect(diff).toMatchObject({
      matched: ['EDX-2'],
      missingInShadow: ['EDX-1'],
      missingInPrimary: ['2U-000001'],
    });
  });

  it('flags only the order listed out of turn, not every order it displaced', () => {
    const primary = ['A', 'B', 'C', 'D', 'E'].map((n) => order(n));
    const shadow = ['B', 'C', 'D', 'E', 'A'].map((n) => order(n));
    const diff = diffOrderLists(primary, shadow);
    expect(diff.mismatched).toEqual([
      { number: 'A', differences: [{ field: 'position', primary: 0, shadow: 4 }] },
    ]);
    expect(diff.fields.position).toEqual({ match: 4, mismatch: 1 });
  });

  it('judges position among the orders both sides have, so a missing order moves nothing', () => {
    const diff = diffOrderLists(
      ['A', 'B', 'C'].map((n) => order(n)),
      ['A', 'C'].map((n) => order(n)),
    );
    expect(diff).toMatchObject({ matched: ['A', 'C'], mismatched: [], missingInShadow: ['B'] });
  });
});
