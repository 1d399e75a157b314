import type { VendorWritableOrder } from '../../../subgraphs/orders/backends/vendor/dto';
import { toOrder } from '../../../subgraphs/orders/backends/vendor/toOrder';
import {
  lmsEntitlementIdOf,
  vendorEntitlementCourseOf,
} from '../../../subgraphs/orders/backends/vendor/vendorEntitlementLines';
import { refundableItems } from '../../../subgraphs/orders/backends/vendor/vendorReturns';

const COURSE = '0000F000-0000-4000-8000-000000000001';
const UUID = 'F0000000-0000-4000-8000-000000000001';
const usd = (centAmount: number) => ({ currencyCode: 'USD', centAmount, fractionDigits: 2 });
const seat = {
  id: 'li-seat',
  name: { en: 'Seat' },
  variant: { sku: 'course-v1:A+A+1' },
  productType: { obj: { key: 'edx_course' } },
  price: { value: usd(4900) },
  quantity: 1,
  totalPrice: usd(4900),
};
const entitlement = {
  ...seat,
  id: 'li-ent',
  name: { en: 'Entitlement' },
  variant: { sku: COURSE },
  productType: { obj: { key: 'edx_course_entitlement' } },
  custom: { fields: { edxLMSEntitlementId: UUID } },
};
const order: VendorWritableOrder = {
  id: 'o-1',
  version: 2,
  orderNumber: '2U-000002',
  lineItems: [seat, entitlement],
  totalPrice: usd(9800),
  orderState: 'Complete',
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('vendor entitlement lines', () => {
  it('knows an entitlement line by its product type, or by the LMS entitlement CC stored on it', () => {
    expect(vendorEntitlementCourseOf(entitlement)).toBe(COURSE.toLowerCase());
    expect(vendorEntitlementCourseOf({ ...entitlement, custom: undefined })).toBe(COURSE.toLowerCase());
    expect(vendorEntitlementCourseOf({ ...entitlement, productType: undefined })).toBe(COURSE.toLowerCase());
    expect(vendorEntitlementCourseOf(seat)).toBeNull();
    expect(lmsEntitlementIdOf(entitlement)).toBe(UUID.toLowerCase());
    expect(lmsEntitlementIdOf({ custom: { fields: {} } })).toBeNull();
  });

  it('shows its course uuid and no course run; a seat keeps its run', () => {
    const lines = toOrder(order, { receiptBaseUrl: 'https://vendor.example.org/r' }).lines;
    expect(lines[0]).toMatchObject({ courseRunKey: 'course-v1:A+A+1' });
    expect(lines[0]).not.toHaveProperty('courseUuid');
    expect(lines[1]).toMatchObject({ courseRunKey: null, courseUuid: COURSE.toLowerCase() });
  });

  it('returns only the named entitlement line, and never it for a course run key', () => {
    expect(refundableItems(order, null, COURSE.toLowerCase())).toEqual([
      { quantity: 1, lineItemId: 'li-ent', shipmentState: 'Returned' },
    ]);
    expect(refundableItems(order, null, 'other')).toEqual([]);
    expect(refundableItems(order, COURSE)).toEqual([]);
    expect(refundableItems(order, null)).toHaveLength(2);
  });
});
