import {
  ENTITLEMENT_POLICY,
  entitlementRefusal,
} from '../../../subgraphs/orders/eligibility/entitlementRefusal';

// CourseEntitlement.is_entitlement_refundable() (edx-platform common/djangoapps/entitlements/models.py)
// with CourseEntitlementPolicy's defaults, its order and its day edges, on an injected clock.
const DAY = 86_400_000;
const created = Date.parse('2026-03-01T12:00:00Z');
const facts = {
  refundLocked: false,
  expiredAt: null,
  created: '2026-03-01T12:00:00Z',
  orderNumber: 'EDX-1',
  enrollmentCourseRun: null,
};

it('keeps the LMS defaults: 60 days to refund, 14 to regain, 730 to expire', () => {
  expect(ENTITLEMENT_POLICY).toEqual({ refundDays: 60, regainDays: 14, expirationDays: 730 });
});

it('refunds through day 60 (whole days since created) and refuses from day 61', () => {
  expect(entitlementRefusal(facts, created)).toBeNull();
  expect(entitlementRefusal(facts, created + 61 * DAY - 1)).toBeNull();
  expect(entitlementRefusal(facts, created + 61 * DAY)).toEqual({
    reason: 'REFUND_WINDOW_CLOSED',
    refundDeadline: '2026-05-01T12:00:00.000Z',
  });
});

it('refuses a locked, an expired, and an order-less entitlement before any date', () => {
  expect(entitlementRefusal({ ...facts, refundLocked: true }, created)).toEqual({
    reason: 'ENTITLEMENT_REFUND_LOCKED',
  });
  expect(entitlementRefusal({ ...facts, expiredAt: '2026-03-02T00:00:00Z' }, created)).toEqual({
    reason: 'ENTITLEMENT_EXPIRED',
  });
  expect(entitlementRefusal({ ...facts, orderNumber: null }, created)?.reason).toBe(
    'ENTITLEMENT_REFUND_LOCKED',
  );
  // Locked wins over an expired one, as `not self.refund_locked and …` reads it first.
  expect(
    entitlementRefusal({ ...facts, refundLocked: true, expiredAt: facts.created }, created)?.reason,
  ).toBe('ENTITLEMENT_REFUND_LOCKED');
});

describe('once redeemed for a run', () => {
  const redeemed = { ...facts, enrollmentCourseRun: 'course-v1:X+Y+Z', certificateStatus: null };

  it('refuses a non-refundable certificate, lets the others through', () => {
    expect(entitlementRefusal({ ...redeemed, certificateStatus: 'downloadable' }, created)?.reason).toBe(
      'CERTIFICATE_ISSUED',
    );
    expect(entitlementRefusal({ ...redeemed, certificateStatus: 'notpassing' }, created)).toBeNull();
  });

  it('allows 14 whole days after the later of creation and course start, then refuses', () => {
    // The course started 20 days after the entitlement was made: the regain period counts from there.
    const start = created + 20 * DAY;
    const run = { ...redeemed, courseStart: new Date(start).toISOString() };
    expect(entitlementRefusal(run, start + 15 * DAY - 1)).toBeNull();
    expect(entitlementRefusal(run, start + 15 * DAY)).toEqual({
      reason: 'REFUND_WINDOW_CLOSED',
      refundDeadline: new Date(start + 15 * DAY).toISOString(),
    });
    // A course that started before the entitlement: from the entitlement's creation.
    const earlier = { ...redeemed, courseStart: '2025-01-01T00:00:00Z' };
    expect(entitlementRefusal(earlier, created + 15 * DAY - 1)).toBeNull();
    expect(entitlementRefusal(earlier, created + 15 * DAY)?.reason).toBe('REFUND_WINDOW_CLOSED');
  });

  it('counts from the enrollment when the learner enrolled after the course start and the purchase', () => {
    const start = created + 5 * DAY;
    const enrolled = created + 30 * DAY;
    const run = {
      ...redeemed,
      courseStart: new Date(start).toISOString(),
      enrollmentCreated: new Date(enrolled).toISOString(),
    };
    expect(entitlementRefusal(run, enrolled + 15 * DAY - 1)).toBeNull();
    expect(entitlementRefusal(run, enrolled + 15 * DAY)).toEqual({
      reason: 'REFUND_WINDOW_CLOSED',
      refundDeadline: new Date(enrolled + 15 * DAY).toISOString(),
    });
  });

  it('is still bounded by the 60-day refund period when the course starts later still', () => {
    const run = { ...redeemed, courseStart: new Date(created + 100 * DAY).toISOString() };
    expect(entitlementRefusal(run, created + 60 * DAY)).toBeNull();
    expect(entitlementRefusal(run, created + 61 * DAY)?.reason).toBe('REFUND_WINDOW_CLOSED');
  });
});
