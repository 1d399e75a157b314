import type { VendorWritableOrder } from '../../../subgraphs/orders/backends/vendor/dto';
import { refundableItems, returnItemIds } from '../../../subgraphs/orders/backends/vendor/vendorReturns';

const usd = (centAmount: number) => ({ currencyCode: 'USD', centAmount, fractionDigits: 2 });
const line = (id: string, sku: string | undefined, quantity: number) => ({
  id,
  name: { en: id },
  variant: sku ? { sku } : {},
  price: { value: usd(4900) },
  quantity,
  totalPrice: usd(4900 * quantity),
});

const order = (overrides: Partial<VendorWritableOrder> = {}): VendorWritableOrder => ({
  id: 'o-1',
  version: 4,
  orderNumber: '2U-000001',
  lineItems: [
    line('li-a', 'course-v1:A+A+1', 1),
    line('li-b', 'course-v1:B+B+1', 3),
    line('li-d', undefined, 1),
  ],
  totalPrice: usd(0),
  orderState: 'Complete',
  createdAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

describe('refundableItems', () => {
  it('returns every line of a complete order in full, donations included', () => {
    expect(refundableItems(order(), null)).toEqual([
      { quantity: 1, lineItemId: 'li-a', shipmentState: 'Returned' },
      { quantity: 3, lineItemId: 'li-b', shipmentState: 'Returned' },
      { quantity: 1, lineItemId: 'li-d', shipmentState: 'Returned' },
    ]);
  });

  it('returns only the line sold under the course run key, and nothing for an unknown key', () => {
    expect(refundableItems(order(), 'course-v1:B+B+1')).toEqual([
      { quantity: 3, lineItemId: 'li-b', shipmentState: 'Returned' },
    ]);
    expect(refundableItems(order(), 'course-v1:Z+Z+1')).toEqual([]);
  });

  it('leaves out what earlier returns already gave back, counting partial quantities', () => {
    const returned = order({
      returnInfo: [
        { items: [{ id: 'r-1', quantity: 1, lineItemId: 'li-a' }] },
        {
          items: [
            { id: 'r-2', quantity: 2, lineItemId: 'li-b' },
            { id: 'r-3', quantity: 1, lineItemId: 'li-d' },
          ],
        },
      ],
    });
    expect(refundableItems(returned, null)).toEqual([
      { quantity: 1, lineItemId: 'li-b', shipmentState: 'Returned' },
    ]);
    expect(refundableItems(returned, 'course-v1:A+A+1')).toEqual([]);
  });

  it.each(['Open', 'Confirmed', 'Cancelled'])('has nothing to refund on a %s order', (orderState) => {
    expect(refundableItems(order({ orderState }), null)).toEqual([]);
  });
});

describe('returnItemIds', () => {
  const returned = order({
    returnInfo: [
      { items: [{ id: 'r-1', quantity: 1, lineItemId: 'li-a' }], returnTrackingId: 'key-1' },
      {
        items: [
          { id: 'r-2', quantity: 1, lineItemId: 'li-b' },
          { id: 'r-3', quantity: 1 },
        ],
        returnTrackingId: 'key-2',
      },
      { items: [{ id: 'r-4', quantity: 1, lineItemId: 'li-d' }] },
    ],
  });

  it('finds the items recorded under one tracking id', () => {
    expect(returnItemIds(returned, 'key-2')).toEqual(['r-2', 'r-3']);
    expect(returnItemIds(returned, 'key-3')).toEqual([]);
  });

  it('lists every return item without one', () => {
    expect(returnItemIds(returned)).toEqual(['r-1', 'r-2', 'r-3', 'r-4']);
    expect(returnItemIds(order())).toEqual([]);
  });
});
