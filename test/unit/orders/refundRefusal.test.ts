import { refundRefusal } from '../../../subgraphs/orders/eligibility/refundRefusal';

// CourseEnrollment.refundable() (edx-platform common/djangoapps/student/models/course_enrollment.py),
// its order and its edges: the cut-off counts from the later of purchase and course start.
const DAY = 86_400_000;
const WINDOW = 14 * DAY;
const placed = Date.parse('2026-03-01T00:00:00Z');
const facts = {
  placedAt: '2026-03-01T00:00:00Z',
  courseStart: '2026-02-01T00:00:00Z',
  certificateStatus: null,
  seatTypes: ['audit', 'verified'],
};

it('allows a refund up to and including the cut-off instant, and refuses it one millisecond after', () => {
  expect(refundRefusal(facts, placed + WINDOW, WINDOW)).toBeNull();
  expect(refundRefusal(facts, placed + WINDOW + 1, WINDOW)).toEqual({
    reason: 'REFUND_WINDOW_CLOSED',
    refundDeadline: '2026-03-15T00:00:00.000Z',
  });
});

it('counts the window from the course start when the course starts after the purchase', () => {
  const later = { ...facts, courseStart: '2026-04-01T00:00:00Z' };
  expect(refundRefusal(later, Date.parse('2026-04-10T00:00:00Z'), WINDOW)).toBeNull();
  expect(refundRefusal(later, Date.parse('2026-04-16T00:00:00Z'), WINDOW)?.reason).toBe(
    'REFUND_WINDOW_CLOSED',
  );
  // No start known: the purchase alone.
  expect(refundRefusal({ ...facts, courseStart: null }, placed + WINDOW + 1, WINDOW)?.reason).toBe(
    'REFUND_WINDOW_CLOSED',
  );
});

it('refuses a non-refundable certificate status first, and lets the others through', () => {
  for (const status of ['downloadable', 'generating', 'unavailable'])
    expect(refundRefusal({ ...facts, certificateStatus: status }, placed + WINDOW + 1, WINDOW)?.reason).toBe(
      'CERTIFICATE_ISSUED',
    );
  for (const status of ['notpassing', 'audit_passing', 'error', 'unverified'])
    expect(refundRefusal({ ...facts, certificateStatus: status }, placed, WINDOW)).toBeNull();
});

it('refuses a course without a verified mode, after the dates', () => {
  expect(refundRefusal({ ...facts, seatTypes: ['professional'] }, placed, WINDOW)?.reason).toBe(
    'NO_VERIFIED_MODE',
  );
  expect(refundRefusal({ ...facts, seatTypes: [] }, placed + WINDOW + 1, WINDOW)?.reason).toBe(
    'REFUND_WINDOW_CLOSED',
  );
});
